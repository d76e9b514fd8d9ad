namespace Homeserver.Client.DehydratedDevices;

public sealed record DehydratedDeviceIdResponse(string DeviceId);
