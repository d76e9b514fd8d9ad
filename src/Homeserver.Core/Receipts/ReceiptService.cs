using System.Text.Json.Nodes;
using Homeserver.Core.AccountData;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Receipts;

/// <summary>Receipts and read markers (client-server API, "Receipts", "Read markers").</summary>
public sealed class ReceiptService(
    IReceiptStore receipts, IRoomReadStore rooms, RoomAccess access, IAccountDataStore accountData, SyncNotifier notifier, EduSender edus,
    ServerAclGuard acl, TimeProvider time)
{
    public const string Read = "m.read";
    public const string ReadPrivate = "m.read.private";
    public const string FullyRead = "m.fully_read";

    public async Task SendAsync(Session session, string roomId, string type, string eventId, string? threadId, CancellationToken cancellationToken)
    {
        if (type is not (Read or ReadPrivate or FullyRead))
        {
            throw MatrixException.InvalidParam($"Unknown receipt type {type}");
        }

        if (threadId is not null && (type == FullyRead || threadId.Length == 0))
        {
            throw MatrixException.InvalidParam("thread_id is a non-empty string, and not for m.fully_read");
        }

        await RequireEventAsync(session, roomId, eventId, cancellationToken);
        await WriteAsync(session, roomId, type, eventId, threadId, cancellationToken);
        notifier.NotifyRoom(roomId);
    }

    public async Task SetReadMarkersAsync(Session session, string roomId, JsonObject body, CancellationToken cancellationToken)
    {
        foreach (var type in new[] { FullyRead, Read, ReadPrivate })
        {
            if (body[type] is null)
            {
                continue;
            }

            if (body[type] is not JsonValue value || !value.TryGetValue<string>(out var eventId))
            {
                throw MatrixException.BadJson($"{type} must be an event ID");
            }

            await RequireEventAsync(session, roomId, eventId, cancellationToken);
            await WriteAsync(session, roomId, type, eventId, null, cancellationToken);
        }

        notifier.NotifyRoom(roomId);
    }

    private async Task WriteAsync(Session session, string roomId, string type, string eventId, string? threadId, CancellationToken cancellationToken)
    {
        if (type == FullyRead)
        {
            // The fully-read marker is private room account data, not a receipt.
            await accountData.SetAsync(session.UserId, roomId, FullyRead, new JsonObject { ["event_id"] = eventId }.ToJsonString(), cancellationToken);
            notifier.NotifyUser(session.UserId);
            return;
        }

        var ts = time.GetUtcNow().ToUnixTimeMilliseconds();
        await receipts.SetAsync(new Receipt(roomId, session.UserId, type, threadId ?? "", eventId, ts), cancellationToken);
        if (type == Read)
        {
            // Public receipts go to the room's other servers; private ones stay here.
            var data = new JsonObject { ["ts"] = ts };
            if (threadId is not null)
            {
                data["thread_id"] = threadId;
            }

            var content = new JsonObject
            {
                [roomId] = new JsonObject { [Read] = new JsonObject { [session.UserId] = new JsonObject { ["event_ids"] = new JsonArray(eventId), ["data"] = data } } },
            };
            await edus.QueueToRoomAsync(roomId, "m.receipt", content, cancellationToken);
        }
    }

    /// <summary>
    /// The content of an <c>m.receipt</c> EDU from another server: the public receipts of its own users in rooms
    /// they are joined to; anything else is ignored, as EDUs have no answer.
    /// </summary>
    public async Task ReceiveAsync(string origin, JsonObject content, CancellationToken cancellationToken)
    {
        foreach (var (roomId, byType) in content)
        {
            if (byType?[Read] is not JsonObject byUser || await rooms.GetRoomAsync(roomId, cancellationToken) is not { } room
                || await acl.IsDeniedAsync(room, origin, cancellationToken))
            {
                continue;
            }

            var changed = false;
            foreach (var (userId, receipt) in byUser)
            {
                if (LiveRoom.ServerOf(userId) != origin
                    || receipt?["event_ids"] is not JsonArray { Count: > 0 } ids || ids[0] is not JsonValue first || !first.TryGetValue<string>(out var eventId)
                    || await access.MembershipAsync(room, userId, cancellationToken) != "join")
                {
                    continue;
                }

                var threadId = receipt["data"]?["thread_id"] is JsonValue t && t.TryGetValue<string>(out var thread) ? thread : "";
                var ts = receipt["data"]?["ts"] is JsonValue v && v.TryGetValue<long>(out var when) ? when : time.GetUtcNow().ToUnixTimeMilliseconds();
                await receipts.SetAsync(new Receipt(roomId, userId, Read, threadId, eventId, ts), cancellationToken);
                changed = true;
            }

            if (changed)
            {
                notifier.NotifyRoom(roomId);
            }
        }
    }

    private async Task RequireEventAsync(Session session, string roomId, string eventId, CancellationToken cancellationToken)
    {
        await access.RequireJoinedAsync(roomId, session.UserId, cancellationToken);
        if (!EventId.TryParse(eventId, out _))
        {
            throw MatrixException.InvalidParam("Not a valid event ID");
        }

        if (await rooms.GetEventAsync(eventId, cancellationToken) is not { } e || e.RoomId != roomId)
        {
            throw MatrixException.NotFound("No such event in this room");
        }
    }
}
