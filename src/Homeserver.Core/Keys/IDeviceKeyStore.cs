namespace Homeserver.Core.Keys;

/// <summary>The port for device identity keys, one-time keys, fallback keys and the device-list stream.</summary>
public interface IDeviceKeyStore
{
    Task<string?> GetDeviceKeysAsync(string userId, string deviceId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the upload in one transaction: the device keys (with a device-list change when they differ from those
    /// stored), the one-time keys not already held, and the fallback keys (a new one replaces the old and is unused).
    /// True when the device keys changed.
    /// </summary>
    Task<bool> UploadAsync(DeviceKeysUpload upload, CancellationToken cancellationToken);

    /// <summary>The one-time keys held among <paramref name="fullKeyIds"/> (<c>algorithm:keyId</c>), by full key ID.</summary>
    Task<IReadOnlyDictionary<string, string>> GetOneTimeKeysAsync(string userId, string deviceId, IReadOnlyCollection<string> fullKeyIds, CancellationToken cancellationToken);

    /// <summary>In one read: the one-time keys left by algorithm and the unused fallback keys' algorithms.</summary>
    Task<OneTimeKeyStatus> GetOneTimeKeyStatusAsync(string userId, string deviceId, CancellationToken cancellationToken);

    /// <summary>The keys of existing devices of the user; all of them when <paramref name="deviceIds"/> is empty.</summary>
    Task<IReadOnlyList<StoredDeviceKeys>> GetDeviceKeysAsync(string userId, IReadOnlyCollection<string> deviceIds, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the oldest one-time key of the algorithm, or, when none is left, hands out the fallback key and marks it
    /// used. Null when the device has neither.
    /// </summary>
    Task<OneTimeKey?> ClaimAsync(string userId, string deviceId, string algorithm, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="userIds"/> whose device lists changed after <paramref name="since"/>, up to <paramref name="upTo"/>.</summary>
    Task<IReadOnlyList<string>> ChangedUsersAsync(IReadOnlyCollection<string> userIds, long since, long upTo, CancellationToken cancellationToken);

    /// <summary>The stream positions of the user's latest device-list changes, newest first, at most <paramref name="count"/>.</summary>
    Task<IReadOnlyList<long>> LatestChangePositionsAsync(string userId, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Records a change to a user's devices that the store did not record itself: a renamed device, or another
    /// server's user announcing a change, so that local users query the keys again.
    /// </summary>
    Task RecordChangeAsync(string userId, CancellationToken cancellationToken);
}
