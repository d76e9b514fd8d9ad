using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Sync;
using Homeserver.Core.Sync.Filters;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Rooms;

/// <summary>
/// Sending events and reading a room's history and state (client-server API, "Room events", "Getting events for a
/// room", "Redactions"). Everything served passes the history-visibility rules.
/// </summary>
public sealed class RoomEventService(RoomEventWriter writer, IRoomReadStore rooms, RoomAccess access, Backfiller backfiller, FullStateWaiters fullState, TimeProvider time)
{
    private const int MaxPageSize = 1000;

    public async Task<string> SendAsync(Session session, string roomId, string type, string transactionId, JsonObject content, CancellationToken cancellationToken)
    {
        RequireType(type);
        await RequireRoomAsync(roomId, cancellationToken);
        if (type == EventTypes.Redaction)
        {
            throw MatrixException.BadJson("Redactions are sent through /redact");
        }

        // The writer answers a repeated transaction ID from memory: the hot path of sending makes no read of its own.
        var transaction = new TransactionKey(session.UserId, session.DeviceId, transactionId);
        return await writer.SendAsync(new EventDraft(roomId, type, null, session.UserId, content) { Transaction = transaction }, cancellationToken);
    }

    public async Task<string> SetStateAsync(Session session, string roomId, string type, string stateKey, JsonObject content, CancellationToken cancellationToken)
    {
        RequireType(type);
        var room = await access.RequireRoomAsync(roomId, cancellationToken);
        return await writer.SendAsync(new EventDraft(room.RoomId, type, stateKey, session.UserId, content), cancellationToken);
    }

    public async Task<string> RedactAsync(Session session, string roomId, string eventId, string transactionId, string? reason, CancellationToken cancellationToken)
    {
        await RequireRoomAsync(roomId, cancellationToken);
        if (!EventId.TryParse(eventId, out _))
        {
            throw MatrixException.InvalidParam("Not a valid event ID");
        }

        var transaction = new TransactionKey(session.UserId, session.DeviceId, transactionId);

        var content = new JsonObject { ["redacts"] = eventId };
        if (reason is not null)
        {
            content["reason"] = reason;
        }

        var draft = new EventDraft(roomId, EventTypes.Redaction, null, session.UserId, content) { Redacts = eventId, Transaction = transaction };
        return await writer.SendAsync(draft, cancellationToken);
    }

    public async Task<JsonObject> GetEventAsync(Session session, string roomId, string eventId, CancellationToken cancellationToken)
    {
        var room = await RequireReadableRoomAsync(session, roomId, cancellationToken);
        var e = await rooms.GetEventAsync(eventId, cancellationToken);
        if (e is null || e.RoomId != room.RoomId || (await HistoryVisibility.FilterAsync(rooms, room.RoomNid, session.UserId, [e], cancellationToken)).Count == 0)
        {
            throw MatrixException.NotFound("No such event in this room, or you may not see it");
        }

        return ClientEventFormat.FormatObject(e, Now, reader: session);
    }

    public async Task<JsonNode> GetStateEventAsync(Session session, string roomId, string type, string stateKey, bool wholeEvent, CancellationToken cancellationToken)
    {
        var state = await VisibleStateAsync(session, roomId, cancellationToken);
        var e = state.FirstOrDefault(s => s.Type == type && s.StateKey == stateKey) ?? throw MatrixException.NotFound("The room has no such state");
        var formatted = ClientEventFormat.FormatObject(e, Now);
        return wholeEvent ? formatted : formatted["content"]!.DeepClone();
    }

    public async Task<JsonArray> GetStateAsync(Session session, string roomId, CancellationToken cancellationToken) =>
        [.. (await VisibleStateAsync(session, roomId, cancellationToken)).Select(e => ClientEventFormat.Format(e, Now))];

    public async Task<JsonObject> GetMembersAsync(Session session, string roomId, string? at, string? membership, string? notMembership,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<RoomEvent> state;
        if (at is not null)
        {
            if (!PaginationToken.TryParse(at, out var position))
            {
                throw MatrixException.InvalidParam("at is not a token this server gave out");
            }

            var room = await RequireReadableRoomAsync(session, roomId, cancellationToken);
            await WaitForFullStateAsync(room, cancellationToken);
            state = await StateAtAsync(room, position, cancellationToken);
        }
        else
        {
            state = await VisibleStateAsync(session, roomId, cancellationToken, wholeMembership: true);
        }

        var members = state.Where(e => e.Type == EventTypes.Member)
            .Where(e =>
            {
                var m = RoomAccess.ContentString(e, "membership");
                return (membership is null || m == membership) && (notMembership is null || m != notMembership);
            });
        return new JsonObject { ["chunk"] = new JsonArray([.. members.Select(e => ClientEventFormat.Format(e, Now))]) };
    }

    public async Task<JsonObject> GetJoinedMembersAsync(Session session, string roomId, CancellationToken cancellationToken)
    {
        var room = await access.RequireJoinedAsync(roomId, session.UserId, cancellationToken);
        await WaitForFullStateAsync(room, cancellationToken);
        var joined = new JsonObject();
        foreach (var e in (await rooms.GetCurrentStateAsync(room.RoomNid, cancellationToken)).Where(e => e.Type == EventTypes.Member))
        {
            var content = JsonNode.Parse(e.Json)!["content"]!;
            if (content["membership"]?.ToString() == Memberships.Join)
            {
                joined[e.StateKey!] = new JsonObject
                {
                    ["display_name"] = content["displayname"]?.DeepClone(),
                    ["avatar_url"] = content["avatar_url"]?.DeepClone(),
                };
            }
        }

        return new JsonObject { ["joined"] = joined };
    }

    public async Task<JsonObject> GetMessagesAsync(Session session, string roomId, string? from, string? to, string? dir, int? limit, RoomEventFilter? filter,
        CancellationToken cancellationToken)
    {
        var room = await RequireReadableRoomAsync(session, roomId, cancellationToken);
        var backwards = dir switch
        {
            "b" => true,
            "f" => false,
            null => throw MatrixException.MissingParam("dir is required"),
            _ => throw MatrixException.InvalidParam("dir is b or f"),
        };
        var pageSize = Math.Clamp(limit ?? filter?.Limit ?? 10, 1, MaxPageSize);
        long start;
        if (from is null)
        {
            start = backwards ? long.MaxValue : long.MinValue;
        }
        else if (!PaginationToken.TryParse(from, out start))
        {
            throw MatrixException.InvalidParam("from is not a token this server gave out");
        }

        long? end = null;
        if (to is not null)
        {
            end = PaginationToken.TryParse(to, out var parsed) ? parsed : throw MatrixException.InvalidParam("to is not a token this server gave out");
        }

        var page = backwards
            ? await rooms.GetTimelineAsync(room.RoomNid, end ?? long.MinValue, start, pageSize, newestFirst: true, cancellationToken)
            : await rooms.GetTimelineAsync(room.RoomNid, start, end ?? long.MaxValue, pageSize, newestFirst: false, cancellationToken);
        if (backwards && end is null && page.Count < pageSize && await backfiller.FillAsync(room, pageSize - page.Count, cancellationToken))
        {
            // Paged back to the oldest event we hold: older history was fetched from another server.
            page = await rooms.GetTimelineAsync(room.RoomNid, long.MinValue, start, pageSize, newestFirst: true, cancellationToken);
        }
        var visible = (await HistoryVisibility.FilterAsync(rooms, room.RoomNid, session.UserId, page, cancellationToken))
            .Where(e => filter.Matches(e.Type, e.Sender))
            .ToList();
        var response = new JsonObject
        {
            ["start"] = PaginationToken.Format(start is long.MaxValue or long.MinValue ? (page.Count > 0 ? page[0].StreamOrdering - (backwards ? 0 : 1) : 0) : start),
            ["chunk"] = new JsonArray([.. visible.Select(e => ClientEventFormat.Format(e, Now, reader: session))]),
        };
        if (page.Count == pageSize)
        {
            // A full page: there may be more. The token sits past the last event read, in the direction of travel.
            response["end"] = PaginationToken.Format(backwards ? page[^1].StreamOrdering - 1 : page[^1].StreamOrdering);
        }

        if (filter?.LazyLoadMembers == true && visible.Count > 0)
        {
            response["state"] = await MembersOfSendersAsync(room, visible, cancellationToken);
        }

        return response;
    }

    public async Task<JsonObject> GetContextAsync(Session session, string roomId, string eventId, int? limit, RoomEventFilter? filter, CancellationToken cancellationToken)
    {
        var room = await RequireReadableRoomAsync(session, roomId, cancellationToken);
        var e = await rooms.GetEventAsync(eventId, cancellationToken);
        if (e is null || e.RoomId != room.RoomId || (await HistoryVisibility.FilterAsync(rooms, room.RoomNid, session.UserId, [e], cancellationToken)).Count == 0)
        {
            throw MatrixException.NotFound("No such event in this room, or you may not see it");
        }

        var total = Math.Clamp(limit ?? 10, 0, MaxPageSize);
        var beforeCount = total / 2;
        var afterCount = total - beforeCount;
        var before = beforeCount == 0 ? [] : await rooms.GetTimelineAsync(room.RoomNid, long.MinValue, e.StreamOrdering - 1, beforeCount, newestFirst: true, cancellationToken);
        var after = afterCount == 0 ? [] : await rooms.GetTimelineAsync(room.RoomNid, e.StreamOrdering, long.MaxValue, afterCount, newestFirst: false, cancellationToken);
        var visibleBefore = (await HistoryVisibility.FilterAsync(rooms, room.RoomNid, session.UserId, before, cancellationToken)).Where(x => filter.Matches(x.Type, x.Sender)).ToList();
        var visibleAfter = (await HistoryVisibility.FilterAsync(rooms, room.RoomNid, session.UserId, after, cancellationToken)).Where(x => filter.Matches(x.Type, x.Sender)).ToList();
        var state = await StateAtAsync(room, e.StreamOrdering, cancellationToken);
        return new JsonObject
        {
            ["event"] = ClientEventFormat.Format(e, Now, reader: session),
            ["events_before"] = new JsonArray([.. visibleBefore.Select(x => ClientEventFormat.Format(x, Now, reader: session))]),
            ["events_after"] = new JsonArray([.. visibleAfter.Select(x => ClientEventFormat.Format(x, Now, reader: session))]),
            ["start"] = PaginationToken.Format(before.Count > 0 ? before[^1].StreamOrdering - 1 : e.StreamOrdering - 1),
            ["end"] = PaginationToken.Format(after.Count > 0 ? after[^1].StreamOrdering : e.StreamOrdering),
            ["state"] = new JsonArray([.. state.Where(s => filter?.LazyLoadMembers != true || s.Type != EventTypes.Member).Select(s => ClientEventFormat.Format(s, Now))]),
        };
    }

    /// <summary>The room state as the user may see it: current while joined (or world-readable), else as it was when they left.</summary>
    /// <param name="wholeMembership">For answers listing the members: a partial state is waited for.</param>
    private async Task<IReadOnlyList<RoomEvent>> VisibleStateAsync(Session session, string roomId, CancellationToken cancellationToken, bool wholeMembership = false)
    {
        var room = await access.RequireRoomAsync(roomId, cancellationToken);
        if (wholeMembership)
        {
            await WaitForFullStateAsync(room, cancellationToken);
        }

        var memberEvent = await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.Member, session.UserId, cancellationToken);
        var membership = memberEvent is null ? null : RoomAccess.ContentString(memberEvent, "membership");
        if (membership == Memberships.Join || await access.IsWorldReadableAsync(room, cancellationToken))
        {
            return await rooms.GetCurrentStateAsync(room.RoomNid, cancellationToken);
        }

        if (membership is Memberships.Leave or Memberships.Ban && memberEvent is not null
            && (await HistoryVisibility.FilterAsync(rooms, room.RoomNid, session.UserId, [memberEvent], cancellationToken)).Count > 0)
        {
            return await StateAtAsync(room, memberEvent.StreamOrdering, cancellationToken);
        }

        throw MatrixException.Forbidden("You are not in the room");
    }

    private async Task WaitForFullStateAsync(RoomSummary room, CancellationToken cancellationToken)
    {
        if (await rooms.IsPartialStateAsync(room.RoomNid, cancellationToken))
        {
            await fullState.WaitAsync(room.RoomId, () => rooms.IsPartialStateAsync(room.RoomNid, cancellationToken), cancellationToken);
        }
    }

    /// <summary>The state after the last event at or before a stream position.</summary>
    private async Task<IReadOnlyList<RoomEvent>> StateAtAsync(RoomSummary room, long position, CancellationToken cancellationToken)
    {
        var last = await rooms.GetTimelineAsync(room.RoomNid, long.MinValue, position, 1, newestFirst: true, cancellationToken);
        if (last.Count == 0)
        {
            return [];
        }

        var state = (await rooms.GetStateAsync(last[0].SnapshotNidBefore, cancellationToken)).ToList();
        if (last[0].StateKey is not null)
        {
            state.RemoveAll(s => s.Type == last[0].Type && s.StateKey == last[0].StateKey);
            state.Add(last[0]);
        }

        return state;
    }

    private async Task<JsonArray> MembersOfSendersAsync(RoomSummary room, IReadOnlyList<RoomEvent> events, CancellationToken cancellationToken)
    {
        var senders = events.Select(e => e.Sender).ToHashSet(StringComparer.Ordinal);
        var state = await StateAtAsync(room, events.Max(e => e.StreamOrdering), cancellationToken);
        return [.. state.Where(s => s.Type == EventTypes.Member && senders.Contains(s.StateKey!)).Select(s => ClientEventFormat.Format(s, Now))];
    }

    /// <summary><c>GET /rooms/{roomId}/timestamp_to_event</c>, for a user who has or had a place in the room or may read it.</summary>
    public async Task<JsonObject> TimestampToEventAsync(Session session, string roomId, TimestampLookup lookup, CancellationToken cancellationToken)
    {
        var room = await RequireReadableRoomAsync(session, roomId, cancellationToken);
        return await lookup.AnswerAsync(rooms, room.RoomNid, cancellationToken);
    }

    /// <summary>The room, for a user who has (or had) a membership in it or may read it anyway.</summary>
    private async Task<RoomSummary> RequireReadableRoomAsync(Session session, string roomId, CancellationToken cancellationToken)
    {
        var room = await access.RequireRoomAsync(roomId, cancellationToken);
        if (await access.MembershipAsync(room, session.UserId, cancellationToken) is null && !await access.IsWorldReadableAsync(room, cancellationToken))
        {
            throw MatrixException.Forbidden("You are not in the room");
        }

        return room;
    }

    /// <summary>A room the writer holds is known to exist; any other is looked up here, not in the writer's queue.</summary>
    private async Task RequireRoomAsync(string roomId, CancellationToken cancellationToken)
    {
        if (!writer.IsLoaded(roomId))
        {
            await access.RequireRoomAsync(roomId, cancellationToken);
        }
    }

    private static void RequireType(string type)
    {
        if (string.IsNullOrEmpty(type) || System.Text.Encoding.UTF8.GetByteCount(type) > 255)
        {
            throw MatrixException.InvalidParam("An event type is 1 to 255 bytes");
        }
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();
}
