using Homeserver.Core.OpenId;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.OpenId;

/// <summary>
/// <c>GET /_matrix/federation/v1/openid/userinfo</c> (server-server API, "OpenID"). Called by third parties that
/// are not homeservers, so it takes the OpenID token instead of X-Matrix.
/// </summary>
[AllowUnsignedRequests]
public sealed class OpenIdUserInfoController(OpenIdTokens tokens) : FederationApiController
{
    [HttpGet("_matrix/federation/v1/openid/userinfo")]
    public async Task<OpenIdUserInfoResponse> GetAsync([FromQuery(Name = "access_token")] string? accessToken, CancellationToken cancellationToken) =>
        new(await tokens.FindUserAsync(accessToken, cancellationToken));
}
