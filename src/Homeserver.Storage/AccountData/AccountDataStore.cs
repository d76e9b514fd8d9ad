using Homeserver.Core.AccountData;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.AccountData;

internal sealed class AccountDataStore(HomeserverDbContext db) : IAccountDataStore
{
    /// <summary>Global account data has no room: room NID 0.</summary>
    private const long NoRoom = 0;

    public async Task SetGlobalAsync(string userId, string type, string contentJson, CancellationToken cancellationToken)
    {
        // Replace the row rather than update it, so that the new value gets a new (higher) stream position.
        for (var attempt = 0; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                await db.AccountData.Where(a => a.UserId == userId && a.RoomNid == NoRoom && a.Type == type).ExecuteDeleteAsync(cancellationToken);
                db.AccountData.Add(new AccountDataEntity { UserId = userId, RoomNid = NoRoom, Type = type, Content = contentJson });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException e) when (attempt < 5 && UniqueViolation.Is(e))
            {
                // Another write of the same type committed between our delete and insert: do it again after it.
                await transaction.RollbackAsync(cancellationToken);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public Task<string?> GetGlobalAsync(string userId, string type, CancellationToken cancellationToken) =>
        db.AccountData.AsNoTracking()
            .Where(a => a.UserId == userId && a.RoomNid == NoRoom && a.Type == type)
            .Select(a => a.Content)
            .FirstOrDefaultAsync(cancellationToken);
}
