using System.Text.Json.Nodes;
using Homeserver.Core.AccountData;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Receipts;

/// <summary>Receipts and read markers (client-server API, "Receipts", "Read markers").</summary>
public sealed class ReceiptService(IReceiptStore receipts, IRoomReadStore rooms, RoomAccess access, IAccountDataStore accountData, SyncNotifier notifier, TimeProvider time)
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

        await receipts.SetAsync(new Receipt(roomId, session.UserId, type, threadId ?? "", eventId, time.GetUtcNow().ToUnixTimeMilliseconds()), cancellationToken);
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
