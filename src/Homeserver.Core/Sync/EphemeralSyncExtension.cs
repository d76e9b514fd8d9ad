using System.Text.Json.Nodes;
using Homeserver.Core.Receipts;
using Homeserver.Core.Rooms.Typing;
using Homeserver.Core.Sync.Streams;

namespace Homeserver.Core.Sync;

/// <summary>The ephemeral events of joined rooms in <c>/sync</c>: <c>m.typing</c> and <c>m.receipt</c>.</summary>
public sealed class EphemeralSyncExtension(TypingTracker typing, IReceiptStore receipts) : ISyncExtension
{
    public async Task<bool> AddAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var added = false;
        var typingSince = context.Since?[StreamName.Typing];
        foreach (var roomId in context.JoinedRoomIds)
        {
            if (typing.ChangedSince(roomId, typingSince) is { } typers)
            {
                Ephemeral(context, roomId).Add(new JsonObject
                {
                    ["type"] = "m.typing",
                    ["content"] = new JsonObject { ["user_ids"] = new JsonArray([.. typers.Select(t => (JsonNode)t)]) },
                });
                added = true;
            }
        }

        var receiptsSince = context.Since?[StreamName.Receipts] ?? 0;
        var changes = context.JoinedRoomIds.Count == 0 || receiptsSince >= context.UpTo[StreamName.Receipts]
            ? []
            : await receipts.GetChangesAsync(context.JoinedRoomIds, receiptsSince, context.UpTo[StreamName.Receipts], cancellationToken);
        foreach (var room in changes.Where(r => r.Type != ReceiptService.ReadPrivate || r.UserId == context.Session.UserId).GroupBy(r => r.RoomId))
        {
            var content = new JsonObject();
            foreach (var receipt in room)
            {
                if (content[receipt.EventId] is not JsonObject byType)
                {
                    content[receipt.EventId] = byType = [];
                }

                if (byType[receipt.Type] is not JsonObject byUser)
                {
                    byType[receipt.Type] = byUser = [];
                }

                var entry = new JsonObject { ["ts"] = receipt.Ts };
                if (receipt.ThreadId.Length > 0)
                {
                    entry["thread_id"] = receipt.ThreadId;
                }

                byUser[receipt.UserId] = entry;
            }

            Ephemeral(context, room.Key).Add(new JsonObject { ["type"] = "m.receipt", ["content"] = content });
            added = true;
        }

        return added;
    }

    private static JsonArray Ephemeral(SyncContext context, string roomId)
    {
        var room = context.JoinedRoom(roomId);
        if (room["ephemeral"]?["events"] is not JsonArray events)
        {
            room["ephemeral"] = new JsonObject { ["events"] = events = [] };
        }

        return events;
    }
}
