using Homeserver.Core.Receipts;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Receipts;

internal sealed class ReceiptStore(HomeserverDbContext db, StreamPositions positions) : IReceiptStore
{
    public async Task SetAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        var roomNid = await db.Rooms.Where(r => r.RoomId == receipt.RoomId).Select(r => r.RoomNid).FirstAsync(cancellationToken);
        using var lease = await positions.BeginWriteAsync(StreamName.Receipts, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // Replaced rather than updated, so that the new receipt gets a new (higher) stream position.
            await db.Receipts.Where(r => r.RoomNid == roomNid && r.UserId == receipt.UserId && r.ReceiptType == receipt.Type && r.ThreadId == receipt.ThreadId)
                .ExecuteDeleteAsync(cancellationToken);
            db.Receipts.Add(new ReceiptEntity
            {
                StreamPosition = lease.Next(),
                RoomNid = roomNid,
                UserId = receipt.UserId,
                ReceiptType = receipt.Type,
                ThreadId = receipt.ThreadId,
                EventId = receipt.EventId,
                Ts = receipt.Ts,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            lease.Publish();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task<IReadOnlyList<Receipt>> GetChangesAsync(IReadOnlyCollection<string> roomIds, long since, long upTo, CancellationToken cancellationToken) =>
        await (from r in db.Receipts.AsNoTracking()
               where r.StreamPosition > since && r.StreamPosition <= upTo
               join room in db.Rooms on r.RoomNid equals room.RoomNid
               where roomIds.Contains(room.RoomId)
               orderby r.StreamPosition
               select new Receipt(room.RoomId, r.UserId, r.ReceiptType, r.ThreadId, r.EventId, r.Ts))
            .ToListAsync(cancellationToken);
}
