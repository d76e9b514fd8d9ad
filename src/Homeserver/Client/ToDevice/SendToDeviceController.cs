using Homeserver.Core.ToDevice;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.ToDevice;

/// <summary><c>PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}</c> (client-server API, "Send-to-Device messaging").</summary>
[Authorize]
public sealed class SendToDeviceController(ToDeviceService toDevice) : ClientApiController
{
    [HttpPut("_matrix/client/v3/sendToDevice/{eventType}/{txnId}")]
    public async Task<EmptyResponse> SendAsync(string eventType, string txnId, [FromBody] SendToDeviceRequest request, CancellationToken cancellationToken)
    {
        await toDevice.SendAsync(HttpContext.GetSession(), eventType, txnId, request.ByUser(), cancellationToken);
        return EmptyResponse.Instance;
    }
}
