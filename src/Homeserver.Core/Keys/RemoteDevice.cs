namespace Homeserver.Core.Keys;

/// <summary>A device of another server's user as this server last heard of it: its signed keys and display name.</summary>
public sealed record RemoteDevice(string DeviceId, string KeysJson, string? DisplayName);
