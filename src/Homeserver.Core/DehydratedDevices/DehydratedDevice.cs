namespace Homeserver.Core.DehydratedDevices;

/// <summary>A user's dehydrated device: its device ID and the client's encrypted <c>device_data</c>, as JSON text.</summary>
public sealed record DehydratedDevice(string DeviceId, string DeviceDataJson);
