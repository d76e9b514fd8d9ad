using Homeserver.Protocol.Events;

namespace Homeserver.Protocol.StateResolution;

/// <summary>The resolved state, or the ID of an event the resolution needed and could not fetch.</summary>
public sealed record StateResolutionResult(IReadOnlyDictionary<StateKey, string>? State, string? MissingEventId)
{
    public bool IsResolved => State is not null;

    public static StateResolutionResult Resolved(IReadOnlyDictionary<StateKey, string> state) => new(state, null);

    public static StateResolutionResult Missing(string eventId) => new(null, eventId);
}
