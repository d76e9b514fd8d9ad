using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.Authorization;

/// <summary>
/// The rules about an event's <c>auth_events</c> list itself (auth rules, "Considering the event's auth_events"):
/// no duplicate state keys, nothing the selection algorithm would not pick, the create event present (before v12)
/// and every entry from the same room. That no entry was itself rejected is the caller's check: it passes only the
/// events it accepted.
/// </summary>
public static class AuthEventsValidator
{
    public static AuthorizationResult Validate(RoomVersionRules rules, Pdu pdu, IReadOnlyList<Pdu> authEvents)
    {
        if (pdu.Type == EventTypes.Create)
        {
            return AuthorizationResult.AllowIf(authEvents.Count == 0, "a create event has no auth events");
        }

        var allowed = AuthEventSelection.Select(rules, pdu.Type, pdu.StateKey, pdu.Sender, pdu.Content).ToHashSet();
        var seen = new HashSet<StateKey>();
        var hasCreate = false;
        foreach (var authEvent in authEvents)
        {
            if (authEvent.StateKeyPair is not { } key)
            {
                return AuthorizationResult.Reject($"auth event {authEvent.EventId} is not a state event");
            }

            if (!seen.Add(key))
            {
                return AuthorizationResult.Reject($"auth events hold {key} twice");
            }

            if (!allowed.Contains(key))
            {
                return AuthorizationResult.Reject($"auth events hold {key}, which the selection does not pick");
            }

            if (authEvent.RoomId != pdu.RoomId && !(key.Type == EventTypes.Create && rules.Authorization.RoomCreateEventIdAsRoomId))
            {
                return AuthorizationResult.Reject($"auth event {authEvent.EventId} is from another room");
            }

            hasCreate |= key.Type == EventTypes.Create;
        }

        return AuthorizationResult.AllowIf(hasCreate || rules.Authorization.RoomCreateEventIdAsRoomId, "auth events hold no create event");
    }
}
