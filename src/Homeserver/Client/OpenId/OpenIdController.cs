using Homeserver.Core.OpenId;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.OpenId;

/// <summary><c>POST /_matrix/client/v3/user/{userId}/openid/request_token</c> (client-server API, "OpenID").</summary>
[Authorize]
public sealed class OpenIdController(OpenIdTokens tokens) : ClientApiController
{
    // The request body is an empty object reserved by the spec for later use; nothing in it is read.
    [HttpPost("_matrix/client/v3/user/{userId}/openid/request_token")]
    public async Task<OpenIdTokenResponse> RequestTokenAsync(string userId, CancellationToken cancellationToken)
    {
        var token = await tokens.RequestAsync(HttpContext.GetSession().UserId, userId, cancellationToken);
        return new OpenIdTokenResponse(token.AccessToken, "Bearer", token.MatrixServerName, token.ExpiresInSeconds);
    }
}
