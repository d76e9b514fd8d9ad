using Homeserver.Configuration;
using Homeserver.Core.Errors;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Discovery;

/// <summary><c>GET /.well-known/matrix/client</c> (client-server API, "Server Discovery"): served when a public base URL is configured.</summary>
public sealed class ClientWellKnownController(HomeserverOptions options) : ClientApiController
{
    [HttpGet(".well-known/matrix/client")]
    public ClientWellKnownResponse Get() =>
        options.PublicBaseUrl is { } baseUrl
            ? new ClientWellKnownResponse(new HomeserverInformation(baseUrl))
            : throw MatrixException.NotFound("No client discovery information is configured");
}
