using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Query;

/// <summary><c>GET /_matrix/federation/v1/query/directory</c> and <c>/query/profile</c>.</summary>
public sealed class QueryController(QueryHandler queries) : FederationApiController
{
    [HttpGet("_matrix/federation/v1/query/directory")]
    public Task<JsonObject> DirectoryAsync([FromQuery(Name = "room_alias")] string? alias, CancellationToken cancellationToken) =>
        queries.DirectoryAsync(alias, cancellationToken);

    [HttpGet("_matrix/federation/v1/query/profile")]
    public Task<JsonObject> ProfileAsync([FromQuery(Name = "user_id")] string? userId, [FromQuery] string? field, CancellationToken cancellationToken) =>
        queries.ProfileAsync(userId, field, cancellationToken);
}
