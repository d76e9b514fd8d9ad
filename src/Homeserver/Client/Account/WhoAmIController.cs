using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Account;

/// <summary><c>GET /_matrix/client/v3/account/whoami</c> (client-server API, "Current account information").</summary>
[Authorize]
public sealed class WhoAmIController : ClientApiController
{
    [HttpGet("_matrix/client/v3/account/whoami")]
    public WhoAmIResponse Get()
    {
        var session = HttpContext.GetSession();
        return new WhoAmIResponse(session.UserId, session.DeviceId, IsGuest: false);
    }
}
