using Homeserver.Core.Authentication;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Authentication;

/// <summary><c>POST /_matrix/client/v3/logout</c> and <c>/logout/all</c> (client-server API, "Logout").</summary>
[Authorize]
public sealed class LogoutController(LoginService logins) : ClientApiController
{
    [HttpPost("_matrix/client/v3/logout")]
    public async Task<EmptyResponse> LogoutAsync(CancellationToken cancellationToken)
    {
        await logins.LogoutAsync(HttpContext.GetSession(), cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/logout/all")]
    public async Task<EmptyResponse> LogoutAllAsync(CancellationToken cancellationToken)
    {
        await logins.LogoutAllAsync(HttpContext.GetSession(), cancellationToken);
        return EmptyResponse.Instance;
    }
}
