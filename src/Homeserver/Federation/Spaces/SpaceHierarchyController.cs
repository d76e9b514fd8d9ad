using System.Text.Json.Nodes;
using Homeserver.Core.Spaces;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Spaces;

/// <summary><c>GET /_matrix/federation/v1/hierarchy/{roomId}</c> (server-server API, "Spaces").</summary>
public sealed class SpaceHierarchyController(SpaceHierarchyService hierarchy) : FederationApiController
{
    [HttpGet("_matrix/federation/v1/hierarchy/{roomId}")]
    public Task<JsonObject> GetAsync(string roomId, [FromQuery(Name = "suggested_only")] string? suggestedOnly, CancellationToken cancellationToken) =>
        hierarchy.GetForServerAsync(Origin, roomId, suggestedOnly, cancellationToken);
}
