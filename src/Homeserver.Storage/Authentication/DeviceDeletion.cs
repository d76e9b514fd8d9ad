using Homeserver.Core.Sync.Streams;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Authentication;

/// <summary>
/// Deleting devices, shared by the stores that do it (logging out, deleting devices, replacing the dehydrated
/// device) so that each deletes the same rows, inside the caller's transaction.
/// </summary>
internal static class DeviceDeletion
{
    /// <summary>
    /// Deletes devices (all of the user's when <paramref name="deviceIds"/> is null) with their tokens, keys, inboxes
    /// and dehydrated-device record, and adds one device-list change per device deleted, for the caller to save, so
    /// that other users stop encrypting for them. Returns the devices deleted.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DeleteAsync(HomeserverDbContext db, StreamWriteLease lease, string userId, IReadOnlyCollection<string>? deviceIds, CancellationToken cancellationToken)
    {
        var all = deviceIds is null;
        var ids = deviceIds ?? [];
        await db.AccessTokens.Where(t => t.UserId == userId && (all || ids.Contains(t.DeviceId))).ExecuteDeleteAsync(cancellationToken);
        await db.DeviceKeys.Where(k => k.UserId == userId && (all || ids.Contains(k.DeviceId))).ExecuteDeleteAsync(cancellationToken);
        await db.OneTimeKeys.Where(k => k.UserId == userId && (all || ids.Contains(k.DeviceId))).ExecuteDeleteAsync(cancellationToken);
        await db.FallbackKeys.Where(k => k.UserId == userId && (all || ids.Contains(k.DeviceId))).ExecuteDeleteAsync(cancellationToken);
        await db.ToDeviceMessages.Where(m => m.UserId == userId && (all || ids.Contains(m.DeviceId))).ExecuteDeleteAsync(cancellationToken);
        await db.DehydratedDevices.Where(d => d.UserId == userId && (all || ids.Contains(d.DeviceId))).ExecuteDeleteAsync(cancellationToken);
        var devices = db.Devices.Where(d => d.UserId == userId && (all || ids.Contains(d.DeviceId)));
        var deleted = await devices.Select(d => d.DeviceId).ToListAsync(cancellationToken);
        await devices.ExecuteDeleteAsync(cancellationToken);
        // One change per device: each is its own m.device_list_update, with its own stream ID, over federation.
        foreach (var _ in deleted)
        {
            db.DeviceListChanges.Add(new DeviceListChangeEntity { StreamPosition = lease.Next(), UserId = userId });
        }

        return deleted;
    }
}
