using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Server;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.PowerLevels;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms;

/// <summary>
/// Joins to rooms with a <c>restricted</c> (or <c>knock_restricted</c>) join rule (client-server API, "Restricted
/// rooms"): a user who is a member of one of the rooms the rule allows joins on the word of a member of this
/// server who may invite, named in the join's <c>join_authorised_via_users_server</c> and vouched for by this
/// server's signature.
/// </summary>
public sealed class RestrictedJoins(IRoomReadStore rooms, ServerIdentity server)
{
    public const string AuthoriserKey = "join_authorised_via_users_server";

    /// <summary>
    /// The local user who authorises <paramref name="userId"/>'s join, or null when the join needs no one: the room
    /// is not restricted, or the user is already invited or joined.
    /// </summary>
    /// <exception cref="MatrixException">
    /// 403 when the user is a member of none of the allowed rooms; 400 <c>M_UNABLE_TO_AUTHORISE_JOIN</c> when this
    /// server is in none of them and so cannot tell; 400 <c>M_UNABLE_TO_GRANT_JOIN</c> when no member of this server
    /// may invite.
    /// </exception>
    public async Task<string?> ChooseAuthoriserAsync(RoomSummary room, string userId, CancellationToken cancellationToken)
    {
        if (!RoomVersions.TryGet(room.RoomVersion, out var rules) || !rules.Authorization.RestrictedJoinRule)
        {
            return null;
        }

        var state = await rooms.GetCurrentStateAsync(room.RoomNid, cancellationToken);
        var joinRules = state.FirstOrDefault(e => e.Type == EventTypes.JoinRules && e.StateKey == "");
        var content = joinRules is null ? null : JsonNode.Parse(joinRules.Json)?["content"];
        var joinRule = (string?)content?["join_rule"];
        if (joinRule is not ("restricted" or "knock_restricted") || joinRule == "knock_restricted" && !rules.Authorization.KnockRestrictedJoinRule)
        {
            return null;
        }

        if (MembershipOf(state, userId) is Memberships.Join or Memberships.Invite)
        {
            return null;
        }

        var joined = (await rooms.GetMembershipsAsync(userId, cancellationToken))
            .Where(m => m.Membership == Memberships.Join)
            .Select(m => m.RoomId)
            .ToHashSet(StringComparer.Ordinal);
        var allowed = (content?["allow"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(a => (string?)a["type"] == "m.room_membership")
            .Select(a => a["room_id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null);
        var allowedRooms = allowed.OfType<string>().ToList();
        if (!allowedRooms.Any(joined.Contains))
        {
            // Membership of another server's user is known here only for rooms this server is in.
            foreach (var id in allowedRooms)
            {
                if (await rooms.GetRoomAsync(id, cancellationToken) is { } allowedRoom && await rooms.IsJoinedByServerAsync(allowedRoom.RoomNid, server.ServerName, cancellationToken))
                {
                    throw MatrixException.Forbidden("You are not a member of any of the rooms this room admits");
                }
            }

            throw new MatrixException(ErrorCode.UnableToAuthoriseJoin, 400, "This server is in none of the rooms this room admits, so it cannot tell whether you may join");
        }

        var powerLevels = state.FirstOrDefault(e => e.Type == EventTypes.PowerLevels && e.StateKey == "");
        var create = state.FirstOrDefault(e => e.Type == EventTypes.Create && e.StateKey == "");
        var levels = RoomPowerLevels.From(RoomEvents.ToPdu(powerLevels, rules), RoomEvents.ToPdu(create, rules), rules);
        var suffix = ":" + server.ServerName;
        return state
            .Where(e => e.Type == EventTypes.Member && e.StateKey!.EndsWith(suffix, StringComparison.Ordinal) && MembershipOf([e], e.StateKey) == Memberships.Join)
            .Select(e => e.StateKey!)
            .Where(u => levels.UserLevel(u) >= levels.Invite)
            .OrderByDescending(levels.UserLevel)
            .ThenBy(u => u, StringComparer.Ordinal)
            .FirstOrDefault()
            ?? throw new MatrixException(ErrorCode.UnableToGrantJoin, 400, "No member of this server may invite to the room");
    }

    /// <summary>Whether a join names a user of this server as its authoriser, which this server must then sign.</summary>
    public bool IsAuthorisedHere(JsonObject content) =>
        content[AuthoriserKey] is JsonValue v && v.TryGetValue<string>(out var user) && user.EndsWith(":" + server.ServerName, StringComparison.Ordinal);

    private static string? MembershipOf(IEnumerable<RoomEvent> state, string userId) =>
        state.FirstOrDefault(e => e.Type == EventTypes.Member && e.StateKey == userId) is { } member ? RoomAccess.ContentString(member, "membership") : null;
}
