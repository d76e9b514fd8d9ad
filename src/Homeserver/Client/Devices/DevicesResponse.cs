namespace Homeserver.Client.Devices;

public sealed record DevicesResponse(IReadOnlyList<DeviceResponse> Devices);
