using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Federation;

/// <summary>
/// The resident server's side of "Joining rooms" (server-server API): <c>make_join</c> hands out a join template at
/// the room's head, <c>send_join</c> takes the signed join, adds it to the room, sends it to the room's other
/// servers and answers with the state before it and that state's auth chain.
/// </summary>
public sealed class JoinHandler(IRoomReadStore rooms, RoomEventWriter writer, PduVerifier verifier, IFederationEventStore events, ServerIdentity server)
{
    /// <exception cref="MatrixException">Unknown room (404), a user of another server (403), an unsupported version (400).</exception>
    public async Task<JsonObject> MakeJoinAsync(string origin, string roomId, string userId, IReadOnlyCollection<string> supportedVersions, CancellationToken cancellationToken)
    {
        RequireOwnUser(origin, userId);
        var room = await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
        // Without any ver parameter the asking server supports version 1 only (server-server API, make_join).
        if (!(supportedVersions.Count == 0 ? ["1"] : supportedVersions).Contains(room.RoomVersion))
        {
            throw new MatrixException(ErrorCode.IncompatibleRoomVersion, 400, "Your server does not support this room's version")
            {
                Details = new Dictionary<string, string> { ["room_version"] = room.RoomVersion },
            };
        }

        var template = await writer.TemplateAsync(
            new EventDraft(roomId, EventTypes.Member, userId, userId, new JsonObject { ["membership"] = "join" }), cancellationToken);
        return new JsonObject { ["room_version"] = room.RoomVersion, ["event"] = template };
    }

    /// <exception cref="MatrixException">The event is malformed (400) or not allowed (403); unknown room (404).</exception>
    public async Task<JsonObject> SendJoinAsync(string origin, string roomId, string eventId, JsonObject joinEvent, CancellationToken cancellationToken)
    {
        var room = await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
        if (!RoomVersions.TryGet(room.RoomVersion, out var rules))
        {
            throw MatrixException.NotFound("Unknown room");
        }

        var received = (await verifier.VerifyAsync([joinEvent], rules, cancellationToken))[0];
        if (received.Pdu is not { } join)
        {
            throw MatrixException.BadJson($"The join event is invalid: {received.Error}");
        }

        if (join.EventId != eventId || join.RoomId != roomId || join.Type != EventTypes.Member || join.StateKey != join.Sender
            || join.Content["membership"] is not JsonValue m || !m.TryGetValue<string>(out var membership) || membership != "join")
        {
            throw MatrixException.BadJson("Not a join of its sender to this room, under this event ID");
        }

        RequireOwnUser(origin, join.Sender);
        var outcome = await writer.AcceptAsync(new RemoteEvents(roomId, [join], ForwardExcept: origin), cancellationToken);
        if (outcome.Refused.TryGetValue(eventId, out var reason))
        {
            throw MatrixException.Forbidden($"The join is not allowed: {reason}");
        }

        var placed = await events.FindEventAsync(eventId, cancellationToken) ?? throw MatrixException.NotFound("The join was not stored");
        var state = placed.SnapshotNidBefore is { } snapshot ? await events.GetStateAsync(snapshot, cancellationToken) : [];
        var stateNids = placed.SnapshotNidBefore is { } s ? await events.GetStateEventNidsAsync(s, cancellationToken) : [];
        var authChain = await events.GetAuthChainAsync([.. stateNids, placed.EventNid], cancellationToken);
        return new JsonObject
        {
            ["origin"] = server.ServerName,
            ["state"] = new JsonArray([.. state.Select(e => JsonNode.Parse(e.Json))]),
            ["auth_chain"] = new JsonArray([.. authChain.Select(e => JsonNode.Parse(e.Json))]),
            ["event"] = joinEvent.DeepClone(),
            ["members_omitted"] = false,
        };
    }

    private static void RequireOwnUser(string origin, string userId)
    {
        if (LiveRoom.ServerOf(userId) != origin)
        {
            throw MatrixException.Forbidden("A server may only join its own users");
        }
    }
}
