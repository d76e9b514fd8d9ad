using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms;
using Homeserver.Core.Server;

namespace Homeserver.Core.Federation;

/// <summary>
/// Events served to other servers (server-server API: <c>/event</c>, <c>/state</c>, <c>/state_ids</c>,
/// <c>/event_auth</c>, <c>/backfill</c>, <c>/get_missing_events</c>, <c>/timestamp_to_event</c>), only to servers with a member in the room.
/// </summary>
public sealed class FederationEventReader(IFederationEventStore events, IRoomReadStore rooms, ServerAclGuard acl, ServerIdentity server, TimeProvider time)
{
    public const int MaxBackfill = 100;

    public async Task<JsonObject> GetEventAsync(string origin, string eventId, CancellationToken cancellationToken)
    {
        var placed = await events.FindEventAsync(eventId, cancellationToken) ?? throw MatrixException.NotFound("Unknown event");
        await RequireInRoomAsync(origin, placed.RoomId, cancellationToken);
        return Transaction([JsonNode.Parse(placed.Json)]);
    }

    /// <param name="idsOnly">For <c>/state_ids</c>: event IDs instead of events.</param>
    public async Task<JsonObject> GetStateAsync(string origin, string roomId, string eventId, bool idsOnly, CancellationToken cancellationToken)
    {
        var placed = await PlacedInRoomAsync(origin, roomId, eventId, cancellationToken);
        if (await rooms.IsPartialStateAsync(placed.RoomNid, cancellationToken))
        {
            // What it holds would pass for the whole state; the asking server has others to ask.
            throw MatrixException.NotFound("This server does not hold the room's whole state yet");
        }

        var state = placed.SnapshotNidBefore is { } snapshot ? await events.GetStateAsync(snapshot, cancellationToken) : [];
        var stateNids = placed.SnapshotNidBefore is { } s ? await events.GetStateEventNidsAsync(s, cancellationToken) : [];
        // The state's own events are in no chain of their own; the auth chain is that of the state events.
        var chain = await events.GetAuthChainAsync(stateNids, cancellationToken);
        return idsOnly
            ? new JsonObject { ["pdu_ids"] = Ids(state), ["auth_chain_ids"] = Ids(chain) }
            : new JsonObject { ["pdus"] = Json(state), ["auth_chain"] = Json(chain) };
    }

    public async Task<JsonObject> GetEventAuthAsync(string origin, string roomId, string eventId, CancellationToken cancellationToken)
    {
        var placed = await PlacedInRoomAsync(origin, roomId, eventId, cancellationToken);
        return new JsonObject { ["auth_chain"] = Json(await events.GetAuthChainAsync([placed.EventNid], cancellationToken)) };
    }

    public async Task<JsonObject> BackfillAsync(string origin, string roomId, IReadOnlyCollection<string> from, int limit, CancellationToken cancellationToken)
    {
        if (from.Count == 0)
        {
            throw MatrixException.MissingParam("v is required");
        }

        var room = await RoomInAsync(origin, roomId, cancellationToken);
        var start = await events.FindEventNidsAsync(room.RoomNid, from, cancellationToken);
        var found = await events.WalkBackAsync([.. start.Values], [], includeStart: true, 0, Math.Clamp(limit, 1, MaxBackfill), cancellationToken);
        return Transaction(Json(found));
    }

    public async Task<JsonObject> TimestampToEventAsync(string origin, string roomId, TimestampLookup lookup, CancellationToken cancellationToken)
    {
        var room = await RoomInAsync(origin, roomId, cancellationToken);
        return await lookup.AnswerAsync(rooms, room.RoomNid, cancellationToken);
    }

    public async Task<JsonObject> GetMissingEventsAsync(string origin, string roomId, JsonObject body, CancellationToken cancellationToken)
    {
        var latest = Strings(body, "latest_events") ?? throw MatrixException.MissingParam("latest_events is required");
        var earliest = Strings(body, "earliest_events") ?? throw MatrixException.MissingParam("earliest_events is required");
        var limit = body["limit"] is JsonValue l && l.TryGetValue<int>(out var n) ? n : 10;
        var minDepth = body["min_depth"] is JsonValue d && d.TryGetValue<long>(out var m) ? m : 0;
        var room = await RoomInAsync(origin, roomId, cancellationToken);
        var known = await events.FindEventNidsAsync(room.RoomNid, [.. latest, .. earliest], cancellationToken);
        var found = await events.WalkBackAsync(
            [.. latest.Where(known.ContainsKey).Select(id => known[id])],
            [.. earliest.Where(known.ContainsKey).Select(id => known[id])],
            includeStart: false, minDepth, Math.Clamp(limit, 1, MaxBackfill), cancellationToken);
        // Oldest first, as the asking server applies them.
        return new JsonObject { ["events"] = Json([.. found.Reverse()]) };
    }

    private async Task<PlacedEvent> PlacedInRoomAsync(string origin, string roomId, string eventId, CancellationToken cancellationToken)
    {
        var placed = await events.FindEventAsync(eventId, cancellationToken);
        if (placed is null || placed.RoomId != roomId)
        {
            throw MatrixException.NotFound("Unknown event");
        }

        await RequireInRoomAsync(origin, roomId, cancellationToken);
        return placed;
    }

    private async Task<RoomSummary> RoomInAsync(string origin, string roomId, CancellationToken cancellationToken)
    {
        var room = await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
        await RequireInRoomAsync(origin, roomId, cancellationToken);
        return room;
    }

    private async Task RequireInRoomAsync(string origin, string roomId, CancellationToken cancellationToken)
    {
        // A server sees a room's history while it has a member in it; finer history visibility per event is not applied yet.
        if (!(await events.GetJoinedServersAsync(roomId, cancellationToken)).Contains(origin))
        {
            throw MatrixException.Forbidden("Your server has no member in this room");
        }

        if (await rooms.GetRoomAsync(roomId, cancellationToken) is { } room)
        {
            await acl.RequireAllowedAsync(room, origin, cancellationToken);
        }
    }

    private JsonObject Transaction(JsonArray pdus) => new()
    {
        ["origin"] = server.ServerName,
        ["origin_server_ts"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
        ["pdus"] = pdus,
    };

    private static JsonArray Json(IEnumerable<FederationEvent> events) => new([.. events.Select(e => JsonNode.Parse(e.Json))]);

    private static JsonArray Ids(IEnumerable<FederationEvent> events) => new([.. events.Select(e => JsonValue.Create(e.EventId))]);

    private static List<string>? Strings(JsonObject body, string key) =>
        body[key] is JsonArray array ? [.. array.Select(v => v is JsonValue s && s.TryGetValue<string>(out var text) ? text : null).OfType<string>()] : null;
}
