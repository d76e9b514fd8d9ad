namespace Homeserver.Protocol.StateResolution;

/// <summary>Unwinds a resolution that needs an event the caller could not supply; turned into a result at the top.</summary>
internal sealed class MissingEventException(string eventId) : Exception($"Event {eventId} is needed for state resolution but unknown")
{
    public string EventId { get; } = eventId;
}
