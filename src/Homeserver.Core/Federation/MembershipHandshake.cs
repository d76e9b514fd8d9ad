using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;

namespace Homeserver.Core.Federation;

/// <summary>
/// The resident server's side of "Joining rooms", "Knocking on rooms" and "Leaving rooms" (server-server API):
/// <c>make_join</c>, <c>make_knock</c> and <c>make_leave</c> hand out a member event template at the room's head;
/// <c>send_join</c>, <c>send_knock</c> and <c>send_leave</c> take the signed event, add it to the room and send it to
/// the room's other servers. <c>send_join</c> also answers with the state before the join and that state's auth
/// chain, <c>send_knock</c> with the stripped state the knocking user may see.
/// </summary>
public sealed class MembershipHandshake(
    IRoomReadStore rooms,
    RoomEventWriter writer,
    PduVerifier verifier,
    IFederationEventStore events,
    ServerAclGuard acl,
    RestrictedJoins restrictedJoins,
    ServerIdentity server,
    SigningKey key)
{
    /// <exception cref="MatrixException">Unknown room (404), a user of another server (403), an unsupported version (400).</exception>
    public async Task<JsonObject> MakeJoinAsync(string origin, string roomId, string userId, IReadOnlyCollection<string> supportedVersions, CancellationToken cancellationToken)
    {
        var room = await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
        await acl.RequireAllowedAsync(room, origin, cancellationToken);
        await RequireFullStateAsync(room, cancellationToken);
        // Without any ver parameter the asking server supports version 1 only (server-server API, make_join).
        RequireSupported(room, supportedVersions.Count == 0 ? ["1"] : supportedVersions);
        RequireOwnUser(origin, userId);
        var content = new JsonObject { ["membership"] = Memberships.Join };
        if (await restrictedJoins.ChooseAuthoriserAsync(room, userId, cancellationToken) is { } authoriser)
        {
            content[RestrictedJoins.AuthoriserKey] = authoriser;
        }

        return await MakeAsync(origin, roomId, userId, content, cancellationToken);
    }

    /// <exception cref="MatrixException">Unknown room (404), a user of another server (403), an unsupported version (400).</exception>
    public async Task<JsonObject> MakeKnockAsync(string origin, string roomId, string userId, IReadOnlyCollection<string> supportedVersions, CancellationToken cancellationToken)
    {
        var room = await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
        await acl.RequireAllowedAsync(room, origin, cancellationToken);
        // Knocking came with room version 7, so there is no default version to assume here.
        RequireSupported(room, supportedVersions);
        return await MakeAsync(origin, roomId, userId, new JsonObject { ["membership"] = Memberships.Knock }, cancellationToken);
    }

    /// <summary>Adds a knock to the room; the answer is the stripped state the knocking user may see.</summary>
    /// <exception cref="MatrixException">The event is malformed (400) or not allowed (403); unknown room (404).</exception>
    public async Task<JsonObject> SendKnockAsync(string origin, string roomId, string eventId, JsonObject knockEvent, CancellationToken cancellationToken)
    {
        await AcceptAsync(origin, roomId, eventId, knockEvent, Memberships.Knock, cancellationToken);
        var room = await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
        // AcceptAsync has checked that the sender is the knocking user.
        var knocker = (string)knockEvent["sender"]!;
        return new JsonObject { ["knock_room_state"] = StrippedState.Of(await rooms.GetCurrentStateAsync(room.RoomNid, cancellationToken), knocker) };
    }

    /// <exception cref="MatrixException">Unknown room (404), a user of another server (403), a leave not allowed (403).</exception>
    public Task<JsonObject> MakeLeaveAsync(string origin, string roomId, string userId, CancellationToken cancellationToken) =>
        MakeAsync(origin, roomId, userId, new JsonObject { ["membership"] = Memberships.Leave }, cancellationToken);

    /// <exception cref="MatrixException">The event is malformed (400) or not allowed (403); unknown room (404).</exception>
    public async Task SendLeaveAsync(string origin, string roomId, string eventId, JsonObject leaveEvent, CancellationToken cancellationToken) =>
        await AcceptAsync(origin, roomId, eventId, leaveEvent, Memberships.Leave, cancellationToken);

    private async Task<JsonObject> MakeAsync(string origin, string roomId, string userId, JsonObject content, CancellationToken cancellationToken)
    {
        RequireOwnUser(origin, userId);
        var room = await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
        await acl.RequireAllowedAsync(room, origin, cancellationToken);
        var template = await writer.TemplateAsync(
            new EventDraft(roomId, EventTypes.Member, userId, userId, content), cancellationToken);
        return new JsonObject { ["room_version"] = room.RoomVersion, ["event"] = template };
    }

    /// <summary>
    /// Adds a join to the room; the answer is the state before it and that state's auth chain. With
    /// <paramref name="omitMembers"/> the member events are left out of the state (but for the heroes, when the room
    /// has no name), the auth chain holds no event of the state, and the servers in the room are named.
    /// </summary>
    /// <exception cref="MatrixException">The event is malformed (400) or not allowed (403); unknown room (404).</exception>
    public async Task<JsonObject> SendJoinAsync(string origin, string roomId, string eventId, JsonObject joinEvent, bool omitMembers, CancellationToken cancellationToken)
    {
        var placed = await AcceptAsync(origin, roomId, eventId, joinEvent, Memberships.Join, cancellationToken);
        // Clients name a room without a name after its heroes, so with the members left out theirs still come along.
        var heroes = omitMembers ? await events.GetHeroesAsync(placed.RoomNid, (string)joinEvent["state_key"]!, cancellationToken) : [];
        IReadOnlyList<long> stateNids = placed.SnapshotNidBefore is not { } snapshot ? []
            : omitMembers ? await events.GetStateEventNidsWithoutMembersAsync(snapshot, heroes, cancellationToken)
            : await events.GetStateEventNidsAsync(snapshot, cancellationToken);
        var state = (await events.GetEventsAsync(stateNids, cancellationToken)).Select(e => (e.EventId, Json: JsonNode.Parse(e.Json)!)).ToList();
        if (heroes.Count > 0 && state.Any(e => (string?)e.Json["type"] is EventTypes.Name or EventTypes.CanonicalAlias))
        {
            // Named after all: the heroes go, and their auth chains with them.
            state = [.. state.Where(e => (string?)e.Json["type"] != EventTypes.Member)];
            stateNids = await events.GetStateEventNidsWithoutMembersAsync(placed.SnapshotNidBefore!.Value, [], cancellationToken);
        }

        var inState = state.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        var authChain = await events.GetAuthChainAsync([.. stateNids, placed.EventNid], cancellationToken);
        var answer = new JsonObject
        {
            ["origin"] = server.ServerName,
            ["state"] = new JsonArray([.. state.Select(e => e.Json)]),
            ["auth_chain"] = new JsonArray([.. authChain.Where(e => !omitMembers || !inState.Contains(e.EventId)).Select(e => JsonNode.Parse(e.Json))]),
            ["event"] = joinEvent.DeepClone(),
            ["members_omitted"] = omitMembers,
        };
        if (omitMembers)
        {
            answer["servers_in_room"] = new JsonArray([.. (await events.GetJoinedServersAsync(roomId, cancellationToken))
                .Where(s => s != origin).Select(s => (JsonNode)s)]);
        }

        return answer;
    }

    private async Task<PlacedEvent> AcceptAsync(string origin, string roomId, string eventId, JsonObject memberEvent, string wanted, CancellationToken cancellationToken)
    {
        var room = await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
        await acl.RequireAllowedAsync(room, origin, cancellationToken);
        if (wanted == Memberships.Join)
        {
            await RequireFullStateAsync(room, cancellationToken);
        }

        if (!RoomVersions.TryGet(room.RoomVersion, out var rules))
        {
            throw MatrixException.NotFound("Unknown room");
        }

        // A restricted join authorised by one of our users needs our signature too, given before it is checked.
        if (wanted == Memberships.Join && memberEvent["content"] is JsonObject joinContent && restrictedJoins.IsAuthorisedHere(joinContent))
        {
            EventSigner.Countersign(memberEvent, rules, server.ServerName, key);
        }

        var received = (await verifier.VerifyAsync([memberEvent], rules, cancellationToken))[0];
        if (received.Pdu is not { } pdu)
        {
            throw MatrixException.BadJson($"The {wanted} event is invalid: {received.Error}");
        }

        if (pdu.EventId != eventId || pdu.RoomId != roomId || pdu.Type != EventTypes.Member || pdu.StateKey != pdu.Sender
            || pdu.Content["membership"] is not JsonValue m || !m.TryGetValue<string>(out var membership) || membership != wanted)
        {
            throw MatrixException.BadJson($"Not a {wanted} of its sender in this room, under this event ID");
        }

        RequireOwnUser(origin, pdu.Sender);
        var outcome = await writer.AcceptAsync(new RemoteEvents(roomId, [pdu], ForwardExcept: origin), cancellationToken);
        if (outcome.Refused.TryGetValue(eventId, out var reason))
        {
            throw MatrixException.Forbidden($"The {wanted} is not allowed: {reason}");
        }

        return await events.FindEventAsync(eventId, cancellationToken) ?? throw MatrixException.NotFound($"The {wanted} was not stored");
    }

    /// <summary>A join answered from a partial state would hand the joining server that state as if it were whole.</summary>
    private async Task RequireFullStateAsync(RoomSummary room, CancellationToken cancellationToken)
    {
        if (await rooms.IsPartialStateAsync(room.RoomNid, cancellationToken))
        {
            throw MatrixException.NotFound("This server does not hold the room's whole state yet; join through another");
        }
    }

    private static void RequireSupported(RoomSummary room, IReadOnlyCollection<string> supportedVersions)
    {
        if (!supportedVersions.Contains(room.RoomVersion))
        {
            throw new MatrixException(ErrorCode.IncompatibleRoomVersion, 400, "Your server does not support this room's version")
            {
                Details = new Dictionary<string, string> { ["room_version"] = room.RoomVersion },
            };
        }
    }

    private static void RequireOwnUser(string origin, string userId)
    {
        if (LiveRoom.ServerOf(userId) != origin)
        {
            throw MatrixException.Forbidden("A server may only do this for its own users");
        }
    }
}
