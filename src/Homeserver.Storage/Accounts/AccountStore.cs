using Homeserver.Core.Authentication;
using Homeserver.Core.Accounts;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Accounts;

internal sealed class AccountStore(HomeserverDbContext db, SessionCache cache) : IAccountStore
{
    public async Task<bool> TryCreateUserAsync(NewUser user, CancellationToken cancellationToken)
    {
        db.Users.Add(new UserEntity
        {
            UserId = user.UserId,
            Localpart = user.Localpart,
            PasswordHash = user.PasswordHash,
            IsAdmin = user.IsAdmin,
            CreatedTs = user.CreatedTs,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    public Task<StoredUser?> GetUserAsync(string userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking()
            .Where(u => u.UserId == userId)
            .Select(u => new StoredUser(u.UserId, u.PasswordHash, u.IsAdmin, u.IsDeactivated, u.CreatedTs))
            .FirstOrDefaultAsync(cancellationToken);

    public Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.UserId == userId).ExecuteUpdateAsync(set => set.SetProperty(u => u.PasswordHash, passwordHash), cancellationToken);

    public async Task DeactivateAsync(string userId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Users.Where(u => u.UserId == userId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.IsDeactivated, true).SetProperty(u => u.PasswordHash, (string?)null), cancellationToken);
        await db.AccessTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.Devices.Where(d => d.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.ForgetUser(userId);
    }
}
