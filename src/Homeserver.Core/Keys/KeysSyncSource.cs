using System.Text.Json.Nodes;
using Homeserver.Core.ToDevice;

namespace Homeserver.Core.Keys;

/// <summary>
/// What <c>/sync</c> reports about end-to-end encryption: one-time key counts, unused fallback key types,
/// to-device messages and device-list changes.
/// </summary>
public sealed class KeysSyncSource(IDeviceKeyStore keys, IToDeviceStore toDevice, OneTimeKeyStatusCache keyStatus)
{
    private const string SignedCurve25519 = "signed_curve25519";

    /// <summary>
    /// The one-time key counts per algorithm and the unused fallback key types. <c>signed_curve25519</c> is always
    /// counted, as clients from before the rule "absent means 0" expect.
    /// </summary>
    public async Task<OneTimeKeyStatus> OneTimeKeyStatusAsync(string userId, string deviceId, CancellationToken cancellationToken)
    {
        var status = await keyStatus.GetAsync(keys, userId, deviceId, cancellationToken);
        if (status.Counts.ContainsKey(SignedCurve25519))
        {
            return status;
        }

        return status with { Counts = new Dictionary<string, int>(status.Counts, StringComparer.Ordinal) { [SignedCurve25519] = 0 } };
    }

    /// <summary>
    /// The device's messages after <paramref name="since"/> up to <paramref name="upTo"/> (at most
    /// <paramref name="limit"/>), and the position reached: <paramref name="upTo"/>, or the last message returned when
    /// the limit cut the batch short.
    /// </summary>
    public async Task<ToDeviceBatch> ToDeviceAsync(string userId, string deviceId, long since, long upTo, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var messages = await toDevice.ReadAsync(userId, deviceId, since, upTo, limit, cancellationToken);
        var events = messages
            .Select(m => new JsonObject { ["sender"] = m.Sender, ["type"] = m.Type, ["content"] = JsonNode.Parse(m.ContentJson) })
            .ToList();
        var position = messages.Count == limit ? messages[^1].Position : Math.Max(since, upTo);
        return new ToDeviceBatch(events, position);
    }

    /// <summary>Forgets messages the device has acknowledged, by presenting a sync token at or past their position.</summary>
    public Task DeleteToDeviceUpToAsync(string userId, string deviceId, long position, CancellationToken cancellationToken) =>
        toDevice.DeleteUpToAsync(userId, deviceId, position, cancellationToken);
}
