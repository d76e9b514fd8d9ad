namespace Homeserver.Client.Devices;

public sealed record UpdateDeviceRequest(string? DisplayName = null);
