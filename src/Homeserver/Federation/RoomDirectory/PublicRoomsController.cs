using System.Text.Json.Nodes;
using Homeserver.Core.RoomDirectory;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.RoomDirectory;

/// <summary><c>GET|POST /_matrix/federation/v1/publicRooms</c> (server-server API, "Public Room Directory"): this server's directory.</summary>
public sealed class PublicRoomsController(PublicRoomsService directory) : FederationApiController
{
    [HttpGet("_matrix/federation/v1/publicRooms")]
    public Task<JsonObject> ListAsync(
        [FromQuery] string? limit,
        [FromQuery] string? since,
        [FromQuery(Name = "include_all_networks")] string? includeAllNetworks,
        [FromQuery(Name = "third_party_instance_id")] string? thirdPartyInstanceId,
        CancellationToken cancellationToken) =>
        directory.ListLocalAsync(PublicRoomsQuery.FromQueryString(limit, since, includeAllNetworks, thirdPartyInstanceId), cancellationToken);

    [HttpPost("_matrix/federation/v1/publicRooms")]
    public Task<JsonObject> SearchAsync([FromBody] JsonObject body, CancellationToken cancellationToken) =>
        directory.ListLocalAsync(PublicRoomsQuery.FromBody(body), cancellationToken);
}
