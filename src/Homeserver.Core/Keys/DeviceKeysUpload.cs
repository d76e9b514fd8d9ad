namespace Homeserver.Core.Keys;

/// <summary>What one <c>/keys/upload</c> stores for a device, already checked; <see cref="DeviceKeysJson"/> is null when absent.</summary>
public sealed record DeviceKeysUpload(
    string UserId,
    string DeviceId,
    string? DeviceKeysJson,
    IReadOnlyList<OneTimeKey> OneTimeKeys,
    IReadOnlyList<OneTimeKey> FallbackKeys);
