using Homeserver.Core.Keys;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Keys;

internal sealed class DeviceKeyStore(HomeserverDbContext db, StreamPositions positions, OneTimeKeyStatusCache keyStatus) : IDeviceKeyStore
{
    /// <summary>Claims race for the oldest key; a loser tries the next one this many times before settling for the fallback key.</summary>
    private const int ClaimAttempts = 5;

    public Task<string?> GetDeviceKeysAsync(string userId, string deviceId, CancellationToken cancellationToken) =>
        db.DeviceKeys.AsNoTracking()
            .Where(k => k.UserId == userId && k.DeviceId == deviceId)
            .Select(k => k.KeyJson)
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> UploadAsync(DeviceKeysUpload upload, CancellationToken cancellationToken)
    {
        var (userId, deviceId) = (upload.UserId, upload.DeviceId);
        // The device-list stream is leased only when the upload can change it, and held until after the commit.
        using var lease = upload.DeviceKeysJson is null ? null : await positions.BeginWriteAsync(StreamName.DeviceLists, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var changed = false;
            if (upload.DeviceKeysJson is { } json)
            {
                var stored = await db.DeviceKeys.FirstOrDefaultAsync(k => k.UserId == userId && k.DeviceId == deviceId, cancellationToken);
                if (stored is null)
                {
                    db.DeviceKeys.Add(new DeviceKeysEntity { UserId = userId, DeviceId = deviceId, KeyJson = json });
                    changed = true;
                }
                else if (stored.KeyJson != json)
                {
                    stored.KeyJson = json;
                    changed = true;
                }

                if (changed)
                {
                    db.DeviceListChanges.Add(new DeviceListChangeEntity { StreamPosition = lease!.Next(), UserId = userId });
                }
            }

            foreach (var key in upload.FallbackKeys)
            {
                var stored = await db.FallbackKeys.FirstOrDefaultAsync(k => k.UserId == userId && k.DeviceId == deviceId && k.Algorithm == key.Algorithm, cancellationToken);
                if (stored is null)
                {
                    db.FallbackKeys.Add(new FallbackKeyEntity { UserId = userId, DeviceId = deviceId, Algorithm = key.Algorithm, KeyId = key.KeyId, KeyJson = key.Json });
                }
                else if (stored.KeyId != key.KeyId || stored.KeyJson != key.Json)
                {
                    // The same key sent again keeps its used flag; a new key starts unused.
                    (stored.KeyId, stored.KeyJson, stored.Used) = (key.KeyId, key.Json, false);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            foreach (var key in upload.OneTimeKeys)
            {
                // A key already held (a retried upload, or a concurrent one) stays as it is.
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO one_time_keys (user_id, device_id, algorithm, key_id, key_json) VALUES ({userId}, {deviceId}, {key.Algorithm}, {key.KeyId}, {key.Json}) ON CONFLICT (user_id, device_id, algorithm, key_id) DO NOTHING",
                    cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            keyStatus.Forget(userId);
            if (changed)
            {
                lease!.Publish();
            }

            return changed;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> GetOneTimeKeysAsync(string userId, string deviceId, IReadOnlyCollection<string> fullKeyIds, CancellationToken cancellationToken)
    {
        var wanted = fullKeyIds.ToHashSet(StringComparer.Ordinal);
        var keyIds = fullKeyIds.Select(id => id[(id.IndexOf(':', StringComparison.Ordinal) + 1)..]).Distinct(StringComparer.Ordinal).ToList();
        var rows = await db.OneTimeKeys.AsNoTracking()
            .Where(k => k.UserId == userId && k.DeviceId == deviceId && keyIds.Contains(k.KeyId))
            .Select(k => new { k.Algorithm, k.KeyId, k.KeyJson })
            .ToListAsync(cancellationToken);
        return rows
            .Where(r => wanted.Contains(r.Algorithm + ":" + r.KeyId))
            .ToDictionary(r => r.Algorithm + ":" + r.KeyId, r => r.KeyJson, StringComparer.Ordinal);
    }

    public async Task<OneTimeKeyStatus> GetOneTimeKeyStatusAsync(string userId, string deviceId, CancellationToken cancellationToken)
    {
        var rows = await db.OneTimeKeys.AsNoTracking()
            .Where(k => k.UserId == userId && k.DeviceId == deviceId)
            .GroupBy(k => k.Algorithm)
            .Select(g => new { Fallback = false, Algorithm = g.Key, Count = g.Count() })
            .Concat(db.FallbackKeys.AsNoTracking()
                .Where(k => k.UserId == userId && k.DeviceId == deviceId && !k.Used)
                .Select(k => new { Fallback = true, k.Algorithm, Count = 0 }))
            .ToListAsync(cancellationToken);
        return new OneTimeKeyStatus(
            rows.Where(r => !r.Fallback).ToDictionary(r => r.Algorithm, r => r.Count, StringComparer.Ordinal),
            [.. rows.Where(r => r.Fallback).Select(r => r.Algorithm).Order(StringComparer.Ordinal)]);
    }

    public async Task<IReadOnlyList<StoredDeviceKeys>> GetDeviceKeysAsync(string userId, IReadOnlyCollection<string> deviceIds, CancellationToken cancellationToken)
    {
        var all = deviceIds.Count == 0;
        // Joined with devices: the keys of a deleted device are not published any more.
        return await (
                from k in db.DeviceKeys.AsNoTracking()
                join d in db.Devices on new { k.UserId, k.DeviceId } equals new { d.UserId, d.DeviceId }
                where k.UserId == userId && (all || deviceIds.Contains(k.DeviceId))
                orderby k.DeviceId
                select new StoredDeviceKeys(k.UserId, k.DeviceId, k.KeyJson, d.DisplayName))
            .ToListAsync(cancellationToken);
    }

    public async Task<OneTimeKey?> ClaimAsync(string userId, string deviceId, string algorithm, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ClaimAttempts; attempt++)
        {
            var oldest = await db.OneTimeKeys.AsNoTracking()
                .Where(k => k.UserId == userId && k.DeviceId == deviceId && k.Algorithm == algorithm)
                .OrderBy(k => k.Id)
                .Select(k => new { k.Id, k.KeyId, k.KeyJson })
                .FirstOrDefaultAsync(cancellationToken);
            if (oldest is null)
            {
                break;
            }

            // Whoever deletes the row owns the key: a one-time key is never handed out twice.
            if (await db.OneTimeKeys.Where(k => k.Id == oldest.Id).ExecuteDeleteAsync(cancellationToken) == 1)
            {
                keyStatus.Forget(userId);
                return new OneTimeKey(algorithm, oldest.KeyId, oldest.KeyJson);
            }
        }

        var fallback = await db.FallbackKeys.AsNoTracking()
            .Where(k => k.UserId == userId && k.DeviceId == deviceId && k.Algorithm == algorithm)
            .Select(k => new { k.KeyId, k.KeyJson, k.Used })
            .FirstOrDefaultAsync(cancellationToken);
        if (fallback is null)
        {
            return null;
        }

        if (!fallback.Used)
        {
            await db.FallbackKeys.Where(k => k.UserId == userId && k.DeviceId == deviceId && k.Algorithm == algorithm && k.KeyId == fallback.KeyId)
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.Used, true), cancellationToken);
            keyStatus.Forget(userId);
        }

        return new OneTimeKey(algorithm, fallback.KeyId, fallback.KeyJson);
    }

    public async Task<IReadOnlyList<string>> ChangedUsersAsync(IReadOnlyCollection<string> userIds, long since, long upTo, CancellationToken cancellationToken) =>
        await db.DeviceListChanges.AsNoTracking()
            .Where(c => userIds.Contains(c.UserId) && c.StreamPosition > since && c.StreamPosition <= upTo)
            .Select(c => c.UserId)
            .Distinct()
            .OrderBy(u => u)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<long>> LatestChangePositionsAsync(string userId, int count, CancellationToken cancellationToken) =>
        await db.DeviceListChanges.AsNoTracking()
            .Where(c => c.UserId == userId)
            .OrderByDescending(c => c.StreamPosition)
            .Select(c => c.StreamPosition)
            .Take(count)
            .ToListAsync(cancellationToken);

    public async Task RecordChangeAsync(string userId, CancellationToken cancellationToken)
    {
        using var lease = await positions.BeginWriteAsync(StreamName.DeviceLists, cancellationToken);
        try
        {
            db.DeviceListChanges.Add(new DeviceListChangeEntity { StreamPosition = lease.Next(), UserId = userId });
            await db.SaveChangesAsync(cancellationToken);
            lease.Publish();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
