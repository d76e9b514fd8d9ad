using System.Text.Json.Nodes;
using Homeserver.Core.DehydratedDevices;

namespace Homeserver.Client.DehydratedDevices;

public sealed record DehydratedDeviceResponse(string DeviceId, JsonNode? DeviceData)
{
    public static DehydratedDeviceResponse From(DehydratedDevice device) => new(device.DeviceId, JsonNode.Parse(device.DeviceDataJson));
}
