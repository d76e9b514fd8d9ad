using Homeserver.Core.Errors;
using Homeserver.Http;
using Homeserver.Protocol.Errors;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation;

/// <summary>The base of the server-server API controllers: served only on the federation listener.</summary>
[ApiSurface(ApiSurface.Federation)]
[Produces("application/json")]
public abstract class FederationApiController : ControllerBase
{
    /// <summary>The server that signed the request (X-Matrix), as its authentication established.</summary>
    protected string Origin =>
        HttpContext.Features.Get<FederationRequestOrigin>()?.ServerName
        ?? throw new MatrixException(ErrorCode.Unauthorized, 401, "The request is not authenticated");
}
