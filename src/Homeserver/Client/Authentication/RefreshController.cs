using Homeserver.Core.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Authentication;

/// <summary>
/// <c>POST /_matrix/client/v3/refresh</c> (client-server API, "Refreshing access tokens"): authenticated by the refresh
/// token in the body, not by an access token.
/// </summary>
public sealed class RefreshController(LoginService logins) : ClientApiController
{
    [HttpPost("_matrix/client/v3/refresh")]
    public async Task<RefreshResponse> RefreshAsync([FromBody] RefreshRequest request, CancellationToken cancellationToken)
    {
        var result = await logins.RefreshAsync(request.RefreshToken, cancellationToken);
        return new RefreshResponse(result.AccessToken, result.RefreshToken, result.ExpiresInMs);
    }
}
