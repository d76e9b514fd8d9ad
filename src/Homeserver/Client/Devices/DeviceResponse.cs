using Homeserver.Core.Devices;

namespace Homeserver.Client.Devices;

public sealed record DeviceResponse(string DeviceId, string? DisplayName, string? LastSeenIp, long? LastSeenTs)
{
    public static DeviceResponse From(Device device) => new(device.DeviceId, device.DisplayName, device.LastSeenIp, device.LastSeenTs);
}
