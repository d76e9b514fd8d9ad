using Homeserver.Core.AccountData;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.AccountData;

internal sealed class AccountDataStore(HomeserverDbContext db, StreamPositions positions) : IAccountDataStore
{
    /// <summary>Global account data has no room: room NID 0.</summary>
    private const long NoRoom = 0;

    public async Task<long> SetAsync(string userId, string? roomId, string type, string contentJson, CancellationToken cancellationToken)
    {
        var roomNid = await RoomNidAsync(roomId, cancellationToken);
        using var lease = await positions.BeginWriteAsync(StreamName.AccountData, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // Replace the row rather than update it, so that the new value gets a new (higher) stream position.
            await db.AccountData.Where(a => a.UserId == userId && a.RoomNid == roomNid && a.Type == type).ExecuteDeleteAsync(cancellationToken);
            var position = lease.Next();
            db.AccountData.Add(new AccountDataEntity { StreamPosition = position, UserId = userId, RoomNid = roomNid, Type = type, Content = contentJson });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            lease.Publish();
            return position;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task<string?> GetAsync(string userId, string? roomId, string type, CancellationToken cancellationToken)
    {
        var roomNid = await RoomNidAsync(roomId, cancellationToken);
        return await db.AccountData.AsNoTracking()
            .Where(a => a.UserId == userId && a.RoomNid == roomNid && a.Type == type)
            .Select(a => a.Content)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AccountDataEntry>> GetChangesAsync(string userId, long since, long upTo, CancellationToken cancellationToken)
    {
        var rows = await (
                from a in db.AccountData.AsNoTracking()
                where a.UserId == userId && a.StreamPosition > since && a.StreamPosition <= upTo
                join r in db.Rooms on a.RoomNid equals r.RoomNid into rooms
                from r in rooms.DefaultIfEmpty()
                select new { RoomId = a.RoomNid == NoRoom ? null : r.RoomId, a.Type, a.Content })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new AccountDataEntry(r.RoomId, r.Type, r.Content))];
    }

    private async Task<long> RoomNidAsync(string? roomId, CancellationToken cancellationToken) =>
        roomId is null
            ? NoRoom
            : await db.Rooms.Where(r => r.RoomId == roomId).Select(r => (long?)r.RoomNid).FirstOrDefaultAsync(cancellationToken)
              ?? throw new InvalidOperationException($"Room {roomId} is not known here");
}
