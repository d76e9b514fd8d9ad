using Homeserver.Core.Keys;
using Homeserver.Core.Authentication;
using Homeserver.Core.DehydratedDevices;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage.Authentication;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.DehydratedDevices;

internal sealed class DehydratedDeviceStore(HomeserverDbContext db, StreamPositions positions, SessionCache cache, OneTimeKeyStatusCache keyStatus) : IDehydratedDeviceStore
{
    public Task<DehydratedDevice?> GetAsync(string userId, CancellationToken cancellationToken) =>
        db.DehydratedDevices.AsNoTracking()
            .Where(d => d.UserId == userId)
            .Select(d => new DehydratedDevice(d.DeviceId, d.DeviceData))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<string>?> ReplaceAsync(string userId, DehydratedDevice device, string? displayName, long createdTs, CancellationToken cancellationToken)
    {
        using var lease = await positions.BeginWriteAsync(StreamName.DeviceLists, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var old = await DehydratedDeviceIdAsync(userId, cancellationToken);
            if (old != device.DeviceId && await db.Devices.AnyAsync(d => d.UserId == userId && d.DeviceId == device.DeviceId, cancellationToken))
            {
                return null;
            }

            var deleted = old is null ? [] : await DeviceDeletion.DeleteAsync(db, lease, userId, [old], cancellationToken);
            db.Devices.Add(new DeviceEntity { UserId = userId, DeviceId = device.DeviceId, DisplayName = displayName, CreatedTs = createdTs });
            db.DehydratedDevices.Add(new DehydratedDeviceEntity { UserId = userId, DeviceId = device.DeviceId, DeviceData = device.DeviceDataJson });
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

    public async Task<string?> DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        using var lease = await positions.BeginWriteAsync(StreamName.DeviceLists, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            if (await DehydratedDeviceIdAsync(userId, cancellationToken) is not { } old)
            {
                return null;
            }

            await DeviceDeletion.DeleteAsync(db, lease, userId, [old], cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            cache.ForgetUser(userId);
            keyStatus.Forget(userId);
            lease.Publish();
            return old;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private Task<string?> DehydratedDeviceIdAsync(string userId, CancellationToken cancellationToken) =>
        db.DehydratedDevices.Where(d => d.UserId == userId).Select(d => d.DeviceId).FirstOrDefaultAsync(cancellationToken);
}
