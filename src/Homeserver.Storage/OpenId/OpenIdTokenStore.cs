using Homeserver.Core.OpenId;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.OpenId;

internal sealed class OpenIdTokenStore(HomeserverDbContext db) : IOpenIdTokenStore
{
    public async Task AddAsync(string tokenHash, string userId, long expiresTs, long nowTs, CancellationToken cancellationToken)
    {
        await db.OpenIdTokens.Where(t => t.ExpiresTs < nowTs).ExecuteDeleteAsync(cancellationToken);
        db.OpenIdTokens.Add(new OpenIdTokenEntity { TokenHash = tokenHash, UserId = userId, ExpiresTs = expiresTs });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public Task<string?> FindUserAsync(string tokenHash, long nowTs, CancellationToken cancellationToken) =>
        db.OpenIdTokens
            .Where(t => t.TokenHash == tokenHash && t.ExpiresTs >= nowTs)
            .Where(t => db.Users.Any(u => u.UserId == t.UserId && !u.IsDeactivated))
            .Select(t => t.UserId)
            .FirstOrDefaultAsync(cancellationToken);
}
