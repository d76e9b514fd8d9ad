using Homeserver.Core.Accounts;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Accounts;

internal sealed class RegistrationTokenStore(HomeserverDbContext db) : IRegistrationTokenStore
{
    public async Task<bool> TryCreateAsync(string token, int? usesAllowed, long? expiryTs, long createdTs, CancellationToken cancellationToken)
    {
        db.RegistrationTokens.Add(new RegistrationTokenEntity { Token = token, UsesAllowed = usesAllowed, ExpiryTs = expiryTs, CreatedTs = createdTs });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public Task<bool> IsValidAsync(string token, long now, CancellationToken cancellationToken) =>
        Valid(token, now).AnyAsync(cancellationToken);

    // One conditional update, so that two registrations cannot both take a token's last use.
    public async Task<bool> TryUseAsync(string token, long now, CancellationToken cancellationToken) =>
        await Valid(token, now).ExecuteUpdateAsync(set => set.SetProperty(t => t.Completed, t => t.Completed + 1), cancellationToken) == 1;

    private IQueryable<RegistrationTokenEntity> Valid(string token, long now) =>
        db.RegistrationTokens.Where(t => t.Token == token
            && (t.ExpiryTs == null || t.ExpiryTs > now)
            && (t.UsesAllowed == null || t.Completed < t.UsesAllowed));
}
