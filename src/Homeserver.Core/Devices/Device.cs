namespace Homeserver.Core.Devices;

public sealed record Device(string DeviceId, string? DisplayName, string? LastSeenIp, long? LastSeenTs);
