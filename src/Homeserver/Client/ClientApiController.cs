using Homeserver.Http;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client;

/// <summary>The base of the client-server API controllers: served only on the client listener.</summary>
[ApiSurface(ApiSurface.Client)]
[Produces("application/json")]
public abstract class ClientApiController : ControllerBase;
