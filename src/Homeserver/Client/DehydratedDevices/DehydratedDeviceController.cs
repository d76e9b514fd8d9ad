using Homeserver.Core.DehydratedDevices;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.DehydratedDevices;

/// <summary>
/// <c>PUT|GET|DELETE /_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device</c> and
/// <c>POST …/dehydrated_device/{deviceId}/events</c> (MSC3814, "Dehydrated devices with SSSS").
/// </summary>
[Authorize]
public sealed class DehydratedDeviceController(DehydratedDeviceService dehydrated) : ClientApiController
{
    private const string Path = "_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device";

    [HttpPut(Path)]
    public async Task<DehydratedDeviceIdResponse> PutAsync([FromBody] DehydratedDeviceRequest request, CancellationToken cancellationToken) =>
        new(await dehydrated.PutAsync(HttpContext.GetSession(), request.DeviceId, request.DeviceData, request.InitialDeviceDisplayName,
            request.DeviceKeys, request.OneTimeKeys, request.FallbackKeys, cancellationToken));

    [HttpGet(Path)]
    public async Task<DehydratedDeviceResponse> GetAsync(CancellationToken cancellationToken) =>
        DehydratedDeviceResponse.From(await dehydrated.GetAsync(HttpContext.GetSession(), cancellationToken));

    [HttpDelete(Path)]
    public async Task<DehydratedDeviceIdResponse> DeleteAsync(CancellationToken cancellationToken) =>
        new(await dehydrated.DeleteAsync(HttpContext.GetSession(), cancellationToken));

    [HttpPost(Path + "/{deviceId}/events")]
    public Task<DehydratedDeviceEvents> EventsAsync(string deviceId, [FromBody] DehydratedDeviceEventsRequest? request, CancellationToken cancellationToken) =>
        // The device ID is a Curve25519 key in base64, so it may hold a '/', which the server leaves encoded in the path.
        dehydrated.EventsAsync(HttpContext.GetSession(), deviceId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase), request?.NextBatch, cancellationToken);
}
