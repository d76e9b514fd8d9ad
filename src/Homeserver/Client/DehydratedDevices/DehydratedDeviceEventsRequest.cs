namespace Homeserver.Client.DehydratedDevices;

/// <summary>The body of <c>POST /dehydrated_device/{deviceId}/events</c>: no token for the first batch.</summary>
public sealed record DehydratedDeviceEventsRequest(string? NextBatch = null);
