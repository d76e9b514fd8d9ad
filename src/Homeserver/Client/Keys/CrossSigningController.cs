using System.Text.Json.Nodes;
using Homeserver.Core.Keys;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Keys;

/// <summary>
/// <c>POST /_matrix/client/v3/keys/device_signing/upload</c> and <c>POST /keys/signatures/upload</c>
/// (client-server API, "Cross-signing").
/// </summary>
[Authorize]
public sealed class CrossSigningController(CrossSigningService crossSigning) : ClientApiController
{
    [HttpPost("_matrix/client/v3/keys/device_signing/upload")]
    public async Task<EmptyResponse> UploadKeysAsync([FromBody] DeviceSigningUploadRequest request, CancellationToken cancellationToken)
    {
        await crossSigning.UploadKeysAsync(HttpContext.GetSession(), request.MasterKey, request.SelfSigningKey, request.UserSigningKey, request.Auth, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/keys/signatures/upload")]
    public async Task<SignaturesUploadResponse> UploadSignaturesAsync([FromBody] JsonObject body, CancellationToken cancellationToken) =>
        new(await crossSigning.UploadSignaturesAsync(HttpContext.GetSession(), SignedKeys.Parse(body), cancellationToken));
}
