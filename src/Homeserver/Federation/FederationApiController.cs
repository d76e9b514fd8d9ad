using Homeserver.Http;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation;

/// <summary>The base of the server-server API controllers: served only on the federation listener.</summary>
[ApiSurface(ApiSurface.Federation)]
[Produces("application/json")]
public abstract class FederationApiController : ControllerBase;
