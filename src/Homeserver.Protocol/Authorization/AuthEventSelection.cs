using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.Authorization;

/// <summary>The state an event must cite as its <c>auth_events</c> (server-server API, "Auth events selection").</summary>
public static class AuthEventSelection
{
    public static IReadOnlyList<StateKey> Select(RoomVersionRules rules, string type, string? stateKey, string sender, JsonObject content)
    {
        if (type == EventTypes.Create)
        {
            return [];
        }

        var keys = new List<StateKey>(6);
        if (!rules.Authorization.RoomCreateEventIdAsRoomId)
        {
            keys.Add(new StateKey(EventTypes.Create, ""));
        }

        keys.Add(new StateKey(EventTypes.PowerLevels, ""));
        keys.Add(new StateKey(EventTypes.Member, sender));
        if (type != EventTypes.Member || stateKey is null)
        {
            return keys;
        }

        if (stateKey != sender)
        {
            keys.Add(new StateKey(EventTypes.Member, stateKey));
        }

        var membership = AuthEventsContent.String(content, "membership");
        if (membership is Memberships.Join or Memberships.Invite or Memberships.Knock)
        {
            keys.Add(new StateKey(EventTypes.JoinRules, ""));
        }

        if (membership == Memberships.Invite && content["third_party_invite"]?["signed"]?["token"] is JsonValue token && token.TryGetValue<string>(out var t))
        {
            keys.Add(new StateKey(EventTypes.ThirdPartyInvite, t));
        }

        if (membership == Memberships.Join && rules.Authorization.RestrictedJoinRule
            && AuthEventsContent.String(content, "join_authorised_via_users_server") is { } authoriser && authoriser != sender)
        {
            keys.Add(new StateKey(EventTypes.Member, authoriser));
        }

        return keys;
    }
}
