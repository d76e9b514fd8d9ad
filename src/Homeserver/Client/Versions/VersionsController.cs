using Homeserver.Core.Server;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Versions;

/// <summary><c>GET /_matrix/client/versions</c> (client-server API, "Versions").</summary>
public sealed class VersionsController : ClientApiController
{
    /// <summary>The proposals served under their unstable prefixes, which clients look for here before using them.</summary>
    private static readonly IReadOnlyDictionary<string, bool> UnstableFeatures = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        ["org.matrix.msc3814"] = true,
    };

    [HttpGet("_matrix/client/versions")]
    public VersionsResponse Get() => new(ServerSoftware.ClientSpecVersions, UnstableFeatures);
}
