using Homeserver.Core.Devices;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Devices;

/// <summary>
/// <c>GET /_matrix/client/v3/devices</c>, <c>GET|PUT|DELETE /_matrix/client/v3/devices/{deviceId}</c> and
/// <c>POST /_matrix/client/v3/delete_devices</c> (client-server API, "Device management").
/// </summary>
[Authorize]
public sealed class DevicesController(DeviceService devices) : ClientApiController
{
    [HttpGet("_matrix/client/v3/devices")]
    public async Task<DevicesResponse> ListAsync(CancellationToken cancellationToken) =>
        new([.. (await devices.ListAsync(HttpContext.GetSession(), cancellationToken)).Select(DeviceResponse.From)]);

    [HttpGet("_matrix/client/v3/devices/{deviceId}")]
    public async Task<DeviceResponse> GetAsync(string deviceId, CancellationToken cancellationToken) =>
        DeviceResponse.From(await devices.GetAsync(HttpContext.GetSession(), deviceId, cancellationToken));

    [HttpPut("_matrix/client/v3/devices/{deviceId}")]
    public async Task<EmptyResponse> UpdateAsync(string deviceId, [FromBody] UpdateDeviceRequest request, CancellationToken cancellationToken)
    {
        await devices.RenameAsync(HttpContext.GetSession(), deviceId, request.DisplayName, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpDelete("_matrix/client/v3/devices/{deviceId}")]
    public async Task<EmptyResponse> DeleteAsync(string deviceId, [FromBody] DeleteDeviceRequest? request, CancellationToken cancellationToken)
    {
        var session = HttpContext.GetSession();
        // Known devices only: deleting one that does not exist is a 404, not a silent success.
        await devices.GetAsync(session, deviceId, cancellationToken);
        await devices.DeleteAsync(session, [deviceId], request?.Auth, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/delete_devices")]
    public async Task<EmptyResponse> DeleteManyAsync([FromBody] DeleteDevicesRequest request, CancellationToken cancellationToken)
    {
        await devices.DeleteAsync(HttpContext.GetSession(), request.Devices, request.Auth, cancellationToken);
        return EmptyResponse.Instance;
    }
}
