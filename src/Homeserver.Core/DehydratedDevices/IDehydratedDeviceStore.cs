namespace Homeserver.Core.DehydratedDevices;

/// <summary>The port for users' dehydrated devices (at most one each), kept beside their rows in <c>devices</c>.</summary>
public interface IDehydratedDeviceStore
{
    Task<DehydratedDevice?> GetAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: deletes the user's dehydrated device as a device is deleted (with its keys and inbox, and
    /// a device-list change), and creates the new one as a device without access tokens. Returns the devices deleted;
    /// null, changing nothing, when the new device ID is that of another of the user's devices.
    /// </summary>
    Task<IReadOnlyList<string>?> ReplaceAsync(string userId, DehydratedDevice device, string? displayName, long createdTs, CancellationToken cancellationToken);

    /// <summary>Deletes the user's dehydrated device as a device is deleted; returns its ID, or null when there was none.</summary>
    Task<string?> DeleteAsync(string userId, CancellationToken cancellationToken);
}
