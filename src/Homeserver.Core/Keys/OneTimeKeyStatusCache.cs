using System.Collections.Concurrent;

namespace Homeserver.Core.Keys;

/// <summary>
/// Each device's <see cref="OneTimeKeyStatus"/>, which every <c>/sync</c> reports and which changes only when keys
/// are uploaded or claimed or the device is deleted. Every store that does one of those calls
/// <see cref="Forget"/> after its commit; a read that raced with such a change is not kept (the user's version is
/// taken before the read).
/// </summary>
public sealed class OneTimeKeyStatusCache
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string UserId, string DeviceId), (long Version, OneTimeKeyStatus Status)> _entries = new();
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);

    public async Task<OneTimeKeyStatus> GetAsync(IDeviceKeyStore keys, string userId, string deviceId, CancellationToken cancellationToken)
    {
        var version = _versions.GetValueOrDefault(userId);
        if (_entries.TryGetValue((userId, deviceId), out var entry) && entry.Version == version)
        {
            return entry.Status;
        }

        var status = await keys.GetOneTimeKeyStatusAsync(userId, deviceId, cancellationToken);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[(userId, deviceId)] = (version, status);
        return status;
    }

    /// <summary>Some device of the user gained or lost keys, or was deleted.</summary>
    public void Forget(string userId) => _versions.AddOrUpdate(userId, 1, (_, version) => version + 1);
}
