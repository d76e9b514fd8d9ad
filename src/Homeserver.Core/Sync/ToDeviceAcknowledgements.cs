using System.Collections.Concurrent;

namespace Homeserver.Core.Sync;

/// <summary>
/// The to-device position each device has acknowledged and we have deleted up to, so that a sync deletes only when
/// its token moved past it rather than on every request.
/// </summary>
public sealed class ToDeviceAcknowledgements
{
    private readonly ConcurrentDictionary<(string UserId, string DeviceId), long> _deletedUpTo = new();

    /// <summary>True when <paramref name="position"/> is past what was deleted for the device (or unknown since start-up).</summary>
    public bool Advance(string userId, string deviceId, long position)
    {
        if (position <= 0)
        {
            return false;
        }

        var key = (userId, deviceId);
        while (true)
        {
            if (_deletedUpTo.TryGetValue(key, out var deleted))
            {
                if (position <= deleted)
                {
                    return false;
                }

                if (_deletedUpTo.TryUpdate(key, position, deleted))
                {
                    return true;
                }
            }
            else if (_deletedUpTo.TryAdd(key, position))
            {
                return true;
            }
        }
    }
}
