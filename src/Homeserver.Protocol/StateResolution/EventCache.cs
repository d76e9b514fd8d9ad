using Homeserver.Protocol.Events;

namespace Homeserver.Protocol.StateResolution;

/// <summary>Fetches each event once per resolution; an event that cannot be fetched stops the resolution.</summary>
internal sealed class EventCache(Func<string, Pdu?> fetch)
{
    private readonly Dictionary<string, Pdu?> _events = new(StringComparer.Ordinal);

    public Pdu Get(string eventId) => TryGet(eventId) ?? throw new MissingEventException(eventId);

    public Pdu? TryGet(string eventId)
    {
        if (!_events.TryGetValue(eventId, out var pdu))
        {
            _events[eventId] = pdu = fetch(eventId);
        }

        return pdu;
    }
}
