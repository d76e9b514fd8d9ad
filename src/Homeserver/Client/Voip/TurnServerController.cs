using Homeserver.Core.Voip;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Voip;

/// <summary><c>GET /_matrix/client/v3/voip/turnServer</c> (client-server API, "Voice over IP").</summary>
[Authorize]
public sealed class TurnServerController(TurnService turn) : ClientApiController
{
    [HttpGet("_matrix/client/v3/voip/turnServer")]
    public object Get() =>
        // An empty object tells clients that no TURN server is configured, as other servers answer.
        (object?)turn.CredentialsFor(HttpContext.GetSession()) ?? new EmptyResponse();
}
