using System.Text.Json.Nodes;
using Homeserver.Core.Json;
using Homeserver.Core.RoomDirectory;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.RoomDirectory;

/// <summary>
/// <c>GET|PUT /_matrix/client/v3/directory/list/room/{roomId}</c> and <c>GET|POST /_matrix/client/v3/publicRooms</c>
/// (client-server API, "Listing rooms"). Reading the directory needs no access token, as the spec has it.
/// </summary>
public sealed class PublicRoomsController(PublicRoomsService directory) : ClientApiController
{
    [HttpGet("_matrix/client/v3/directory/list/room/{roomId}")]
    public async Task<JsonObject> GetVisibilityAsync(string roomId, CancellationToken cancellationToken) =>
        new() { ["visibility"] = await directory.GetVisibilityAsync(roomId, cancellationToken) };

    [Authorize]
    [HttpPut("_matrix/client/v3/directory/list/room/{roomId}")]
    public async Task<EmptyResponse> SetVisibilityAsync(string roomId, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await directory.SetVisibilityAsync(HttpContext.GetSession(), roomId, body.OptionalString("visibility") ?? PublicRoomsService.Public, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpGet("_matrix/client/v3/publicRooms")]
    public Task<JsonObject> ListAsync([FromQuery] string? limit, [FromQuery] string? since, [FromQuery] string? server, CancellationToken cancellationToken) =>
        directory.ListAsync(server, PublicRoomsQuery.FromQueryString(limit, since, null, null), withFilter: false, cancellationToken);

    [Authorize]
    [HttpPost("_matrix/client/v3/publicRooms")]
    public Task<JsonObject> SearchAsync([FromQuery] string? server, [FromBody] JsonObject body, CancellationToken cancellationToken) =>
        directory.ListAsync(server, PublicRoomsQuery.FromBody(body), withFilter: true, cancellationToken);
}
