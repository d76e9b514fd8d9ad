using Homeserver.Core.Keys;
using Homeserver.Core.Authentication;
using Homeserver.Core.Devices;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Authentication;

/// <summary>Devices and their access tokens: the two share tables, so one store serves both ports.</summary>
/// <remarks>Every change that can end a token tells <see cref="SessionCache"/> after it commits.</remarks>
internal sealed class SessionStore(HomeserverDbContext db, StreamPositions positions, SessionCache cache, OneTimeKeyStatusCache keyStatus) : ISessionStore, IDeviceStore
{
    public async Task CreateSessionAsync(NewSession session, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Both databases speak this upsert; it keeps a known device (and its display name) as it is.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO devices (user_id, device_id, display_name, created_ts) VALUES ({session.UserId}, {session.DeviceId}, {session.DeviceDisplayName}, {session.CreatedTs}) ON CONFLICT (user_id, device_id) DO NOTHING",
            cancellationToken);
        // A device holds one access token: logging in again with it ends the earlier session.
        await db.AccessTokens.Where(t => t.UserId == session.UserId && t.DeviceId == session.DeviceId).ExecuteDeleteAsync(cancellationToken);
        db.AccessTokens.Add(ToEntity(session, previousTokenHash: null));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        cache.ForgetUser(session.UserId);
    }

    public async Task<(string UserId, string DeviceId)?> RefreshSessionAsync(string refreshTokenHash, RefreshedTokens tokens, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await db.AccessTokens.AsNoTracking()
            .Where(t => t.RefreshTokenHash == refreshTokenHash)
            .Select(t => new { t.TokenHash, t.UserId, t.DeviceId })
            .FirstOrDefaultAsync(cancellationToken);
        if (current is null)
        {
            return null;
        }

        // A replacement issued earlier and never used is superseded by this one.
        await db.AccessTokens.Where(t => t.PreviousTokenHash == current.TokenHash).ExecuteDeleteAsync(cancellationToken);
        var replacement = new NewSession(current.UserId, current.DeviceId, null, tokens.TokenHash, tokens.CreatedTs, tokens.ExpiresTs, tokens.RefreshTokenHash);
        db.AccessTokens.Add(ToEntity(replacement, current.TokenHash));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        cache.ForgetUser(current.UserId);
        return (current.UserId, current.DeviceId);
    }

    public async Task RetirePreviousSessionAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var token = await db.AccessTokens.Where(t => t.TokenHash == tokenHash).Select(t => new { t.UserId, t.PreviousTokenHash }).FirstOrDefaultAsync(cancellationToken);
        if (token?.PreviousTokenHash is { } previous)
        {
            await db.AccessTokens.Where(t => t.TokenHash == previous).ExecuteDeleteAsync(cancellationToken);
            await db.AccessTokens.Where(t => t.TokenHash == tokenHash)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.PreviousTokenHash, (string?)null), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (token is not null)
        {
            cache.ForgetUser(token.UserId);
        }
    }

    private static AccessTokenEntity ToEntity(NewSession session, string? previousTokenHash) => new()
    {
        TokenHash = session.TokenHash,
        UserId = session.UserId,
        DeviceId = session.DeviceId,
        CreatedTs = session.CreatedTs,
        ExpiresTs = session.ExpiresTs,
        RefreshTokenHash = session.RefreshTokenHash,
        PreviousTokenHash = previousTokenHash,
    };

    public Task<Session?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        (from token in db.AccessTokens.AsNoTracking()
         join user in db.Users on token.UserId equals user.UserId
         where token.TokenHash == tokenHash && !user.IsDeactivated
         select new Session(token.UserId, token.DeviceId, user.IsAdmin, token.ExpiresTs, token.PreviousTokenHash != null))
        .FirstOrDefaultAsync(cancellationToken);

    public Task<IReadOnlyList<string>> DeleteSessionAsync(string userId, string deviceId, CancellationToken cancellationToken) =>
        DeleteDevicesAsync(userId, [deviceId], cancellationToken);

    public async Task<IReadOnlyList<Device>> ListDevicesAsync(string userId, CancellationToken cancellationToken) =>
        await db.Devices.AsNoTracking()
            .Where(d => d.UserId == userId)
            .OrderBy(d => d.DeviceId)
            .Select(d => new Device(d.DeviceId, d.DisplayName, d.LastSeenIp, d.LastSeenTs))
            .ToListAsync(cancellationToken);

    public Task<Device?> GetDeviceAsync(string userId, string deviceId, CancellationToken cancellationToken) =>
        db.Devices.AsNoTracking()
            .Where(d => d.UserId == userId && d.DeviceId == deviceId)
            .Select(d => new Device(d.DeviceId, d.DisplayName, d.LastSeenIp, d.LastSeenTs))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> RenameDeviceAsync(string userId, string deviceId, string displayName, CancellationToken cancellationToken) =>
        await db.Devices.Where(d => d.UserId == userId && d.DeviceId == deviceId)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.DisplayName, displayName), cancellationToken) > 0;

    public Task<IReadOnlyList<string>> DeleteDevicesAsync(string userId, IReadOnlyCollection<string> deviceIds, CancellationToken cancellationToken) =>
        DeleteAsync(userId, deviceIds, cancellationToken);

    public Task<IReadOnlyList<string>> DeleteAllSessionsAsync(string userId, CancellationToken cancellationToken) =>
        DeleteAsync(userId, null, cancellationToken);

    private async Task<IReadOnlyList<string>> DeleteAsync(string userId, IReadOnlyCollection<string>? deviceIds, CancellationToken cancellationToken)
    {
        using var lease = await positions.BeginWriteAsync(StreamName.DeviceLists, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var deleted = await DeviceDeletion.DeleteAsync(db, lease, userId, deviceIds, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            cache.ForgetUser(userId);
            keyStatus.Forget(userId);
            lease.Publish();
            return deleted;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
