using System.Text.Json.Nodes;

namespace Homeserver.Client.Devices;

public sealed record DeleteDeviceRequest(JsonObject? Auth = null);
