namespace Homeserver.Core.Keys;

/// <summary>A device's published identity keys (canonical JSON) and the device's display name.</summary>
public sealed record StoredDeviceKeys(string UserId, string DeviceId, string Json, string? DisplayName);
