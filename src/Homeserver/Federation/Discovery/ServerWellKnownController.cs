using Homeserver.Configuration;
using Homeserver.Core.Errors;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Discovery;

/// <summary>
/// <c>GET /.well-known/matrix/server</c> (server-server API, "Server discovery"): delegation, when configured. Served
/// on both listeners, since it is fetched from port 443 of the server name, wherever that is routed.
/// </summary>
[Produces("application/json")]
public sealed class ServerWellKnownController(HomeserverOptions options) : ControllerBase
{
    [HttpGet(".well-known/matrix/server")]
    public ServerWellKnownResponse Get() =>
        options.Federation.WellKnownServer is { } server
            ? new ServerWellKnownResponse(server)
            : throw MatrixException.NotFound("No server delegation is configured");
}
