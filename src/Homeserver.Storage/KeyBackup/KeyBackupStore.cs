using System.Globalization;
using Homeserver.Core.KeyBackup;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.KeyBackup;

internal sealed class KeyBackupStore(HomeserverDbContext db) : IKeyBackupStore
{
    /// <summary>Concurrent writers of one user's backup can collide on a new row; the loser tries again this many times.</summary>
    private const int Attempts = 3;

    public async Task<long> CreateVersionAsync(string userId, string algorithm, string authDataJson, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var next = (await db.KeyBackupVersions.Where(v => v.UserId == userId).MaxAsync(v => (long?)v.Version, cancellationToken) ?? 0) + 1;
                db.KeyBackupVersions.Add(new KeyBackupVersionEntity { UserId = userId, Version = next, Algorithm = algorithm, AuthData = authDataJson });
                await db.SaveChangesAsync(cancellationToken);
                return next;
            }
            catch (DbUpdateException e) when (UniqueViolation.Is(e) && attempt < Attempts)
            {
                // Another create took the number; take the next one.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<BackupVersion?> GetVersionAsync(string userId, long? version, CancellationToken cancellationToken)
    {
        var query = db.KeyBackupVersions.AsNoTracking().Where(v => v.UserId == userId && !v.IsDeleted);
        query = version is { } wanted ? query.Where(v => v.Version == wanted) : query.OrderByDescending(v => v.Version);
        var found = await query.FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        var count = await db.KeyBackupKeys.LongCountAsync(k => k.UserId == userId && k.Version == found.Version, cancellationToken);
        return new BackupVersion(Text(found.Version), found.Algorithm, found.AuthData, count, Text(found.Etag));
    }

    public async Task<bool> UpdateVersionAsync(string userId, long version, string authDataJson, CancellationToken cancellationToken) =>
        await db.KeyBackupVersions.Where(v => v.UserId == userId && v.Version == version && !v.IsDeleted)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.AuthData, authDataJson), cancellationToken) > 0;

    public async Task<bool> DeleteVersionAsync(string userId, long version, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.KeyBackupVersions.Where(v => v.UserId == userId && v.Version == version)
                .ExecuteUpdateAsync(set => set.SetProperty(v => v.IsDeleted, true), cancellationToken) == 0)
        {
            return false;
        }

        await db.KeyBackupKeys.Where(k => k.UserId == userId && k.Version == version).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<BackupKey>> GetKeysAsync(string userId, long version, string? roomId, string? sessionId, CancellationToken cancellationToken) =>
        await Select(userId, version, roomId, sessionId).AsNoTracking()
            .OrderBy(k => k.RoomId).ThenBy(k => k.SessionId)
            .Select(k => new BackupKey(k.RoomId, k.SessionId, k.FirstMessageIndex, k.ForwardedCount, k.IsVerified, k.SessionData))
            .ToListAsync(cancellationToken);

    public async Task<BackupKeysUpdate> PutKeysAsync(string userId, long version, IReadOnlyList<BackupKey> keys, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var roomIds = keys.Select(k => k.RoomId).Distinct(StringComparer.Ordinal).ToList();
                var stored = (await db.KeyBackupKeys
                        .Where(k => k.UserId == userId && k.Version == version && roomIds.Contains(k.RoomId))
                        .ToListAsync(cancellationToken))
                    .ToDictionary(k => (k.RoomId, k.SessionId));
                var changed = false;
                foreach (var key in keys)
                {
                    if (!stored.TryGetValue((key.RoomId, key.SessionId), out var row))
                    {
                        db.KeyBackupKeys.Add(new KeyBackupKeyEntity
                        {
                            UserId = userId,
                            Version = version,
                            RoomId = key.RoomId,
                            SessionId = key.SessionId,
                            FirstMessageIndex = key.FirstMessageIndex,
                            ForwardedCount = key.ForwardedCount,
                            IsVerified = key.IsVerified,
                            SessionData = key.SessionDataJson,
                        });
                        changed = true;
                    }
                    else if (key.Replaces(new BackupKey(row.RoomId, row.SessionId, row.FirstMessageIndex, row.ForwardedCount, row.IsVerified, row.SessionData)))
                    {
                        (row.FirstMessageIndex, row.ForwardedCount, row.IsVerified, row.SessionData) = (key.FirstMessageIndex, key.ForwardedCount, key.IsVerified, key.SessionDataJson);
                        changed = true;
                    }
                }

                await db.SaveChangesAsync(cancellationToken);
                var result = await FinishAsync(userId, version, changed, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (DbUpdateException e) when (UniqueViolation.Is(e) && attempt < Attempts)
            {
                // A concurrent upload stored one of these sessions first; compare against it on the next attempt.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<BackupKeysUpdate> DeleteKeysAsync(string userId, long version, string? roomId, string? sessionId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await Select(userId, version, roomId, sessionId).ExecuteDeleteAsync(cancellationToken);
        var result = await FinishAsync(userId, version, deleted > 0, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Moves the etag on when the keys changed, and reads the count and etag inside the writer's transaction.</summary>
    private async Task<BackupKeysUpdate> FinishAsync(string userId, long version, bool changed, CancellationToken cancellationToken)
    {
        if (changed)
        {
            await db.KeyBackupVersions.Where(v => v.UserId == userId && v.Version == version)
                .ExecuteUpdateAsync(set => set.SetProperty(v => v.Etag, v => v.Etag + 1), cancellationToken);
        }

        var etag = await db.KeyBackupVersions.Where(v => v.UserId == userId && v.Version == version).Select(v => v.Etag).FirstAsync(cancellationToken);
        var count = await db.KeyBackupKeys.LongCountAsync(k => k.UserId == userId && k.Version == version, cancellationToken);
        return new BackupKeysUpdate(count, Text(etag));
    }

    private IQueryable<KeyBackupKeyEntity> Select(string userId, long version, string? roomId, string? sessionId)
    {
        var query = db.KeyBackupKeys.Where(k => k.UserId == userId && k.Version == version);
        if (roomId is not null)
        {
            query = query.Where(k => k.RoomId == roomId);
        }

        if (sessionId is not null)
        {
            query = query.Where(k => k.SessionId == sessionId);
        }

        return query;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
