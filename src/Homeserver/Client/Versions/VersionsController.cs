using Homeserver.Core.Server;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Versions;

/// <summary><c>GET /_matrix/client/versions</c> (client-server API, "Versions").</summary>
public sealed class VersionsController : ClientApiController
{
    [HttpGet("_matrix/client/versions")]
    public VersionsResponse Get() => new(ServerSoftware.ClientSpecVersions, new Dictionary<string, bool>());
}
