using Homeserver.Core.Keys;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Keys;

/// <summary>
/// <c>POST /_matrix/client/v3/keys/upload</c>, <c>POST /keys/query</c>, <c>POST /keys/claim</c> and
/// <c>GET /keys/changes</c> (client-server API, "End-to-End Encryption", "Key management API").
/// </summary>
[Authorize]
public sealed class KeysController(KeysService keys) : ClientApiController
{
    [HttpPost("_matrix/client/v3/keys/upload")]
    public async Task<KeysUploadResponse> UploadAsync([FromBody] KeysUploadRequest request, CancellationToken cancellationToken) =>
        new(await keys.UploadAsync(HttpContext.GetSession(), request.DeviceKeys, request.OneTimeKeys, request.FallbackKeys, cancellationToken));

    [HttpPost("_matrix/client/v3/keys/query")]
    public Task<KeysQueryResult> QueryAsync([FromBody] KeysQueryRequest request, CancellationToken cancellationToken) =>
        keys.QueryAsync(HttpContext.GetSession(), request.Devices(), cancellationToken);

    [HttpPost("_matrix/client/v3/keys/claim")]
    public Task<KeysClaimResult> ClaimAsync([FromBody] KeysClaimRequest request, CancellationToken cancellationToken) =>
        keys.ClaimAsync(request.Claims(), cancellationToken);

    [HttpGet("_matrix/client/v3/keys/changes")]
    public Task<KeysChangesResult> ChangesAsync([FromQuery] string? from, [FromQuery] string? to, CancellationToken cancellationToken) =>
        keys.ChangesAsync(HttpContext.GetSession(), from, to, cancellationToken);
}
