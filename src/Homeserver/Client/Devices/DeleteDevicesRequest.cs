using System.Text.Json.Nodes;

namespace Homeserver.Client.Devices;

public sealed record DeleteDevicesRequest(IReadOnlyList<string> Devices, JsonObject? Auth = null);
