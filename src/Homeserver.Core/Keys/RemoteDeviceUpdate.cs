namespace Homeserver.Core.Keys;

/// <summary>
/// One <c>m.device_list_update</c>: the device's new keys, or <paramref name="KeysJson"/> null when the device was
/// deleted; <paramref name="PrevIds"/> the stream IDs of the updates just before it.
/// </summary>
public sealed record RemoteDeviceUpdate(string UserId, string DeviceId, long StreamId, IReadOnlyList<long> PrevIds, string? KeysJson, string? DisplayName);
