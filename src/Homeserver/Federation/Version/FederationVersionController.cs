using Homeserver.Core.Server;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Version;

/// <summary><c>GET /_matrix/federation/v1/version</c> (server-server API, "Server implementation"). Needs no authentication.</summary>
[AllowUnsignedRequests]
public sealed class FederationVersionController : FederationApiController
{
    [HttpGet("_matrix/federation/v1/version")]
    public FederationVersionResponse Get() => new(new ServerImplementation(ServerSoftware.Name, ServerSoftware.Version));
}
