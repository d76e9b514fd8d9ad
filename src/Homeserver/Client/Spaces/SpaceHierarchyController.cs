using System.Text.Json.Nodes;
using Homeserver.Core.Spaces;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Spaces;

/// <summary><c>GET /_matrix/client/v1/rooms/{roomId}/hierarchy</c> (client-server API, "Spaces").</summary>
[Authorize]
public sealed class SpaceHierarchyController(SpaceHierarchyService hierarchy) : ClientApiController
{
    [HttpGet("_matrix/client/v1/rooms/{roomId}/hierarchy")]
    public Task<JsonObject> GetAsync(
        string roomId,
        [FromQuery(Name = "suggested_only")] string? suggestedOnly,
        [FromQuery] string? limit,
        [FromQuery(Name = "max_depth")] string? maxDepth,
        [FromQuery] string? from,
        CancellationToken cancellationToken) =>
        hierarchy.GetAsync(HttpContext.GetSession(), roomId, suggestedOnly, limit, maxDepth, from, cancellationToken);
}
