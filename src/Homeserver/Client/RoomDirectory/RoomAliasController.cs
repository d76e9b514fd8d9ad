using System.Text.Json.Nodes;
using Homeserver.Core.RoomDirectory;
using Homeserver.Core.Json;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.RoomDirectory;

/// <summary>
/// <c>GET|PUT|DELETE /_matrix/client/v3/directory/room/{roomAlias}</c> and <c>GET /_matrix/client/v3/rooms/{roomId}/aliases</c>
/// (client-server API, "Room aliases").
/// </summary>
public sealed class RoomAliasController(RoomAliasService aliases) : ClientApiController
{
    [HttpGet("_matrix/client/v3/directory/room/{roomAlias}")]
    public async Task<JsonObject> ResolveAsync(string roomAlias, CancellationToken cancellationToken)
    {
        var (roomId, servers) = await aliases.ResolveAsync(roomAlias, cancellationToken);
        return new JsonObject { ["room_id"] = roomId, ["servers"] = new JsonArray([.. servers.Select(s => (JsonNode)s)]) };
    }

    [Authorize]
    [HttpPut("_matrix/client/v3/directory/room/{roomAlias}")]
    public async Task<EmptyResponse> PutAsync(string roomAlias, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await aliases.PutAsync(HttpContext.GetSession(), roomAlias, body.RequiredString("room_id"), cancellationToken);
        return EmptyResponse.Instance;
    }

    [Authorize]
    [HttpDelete("_matrix/client/v3/directory/room/{roomAlias}")]
    public async Task<EmptyResponse> DeleteAsync(string roomAlias, CancellationToken cancellationToken)
    {
        await aliases.DeleteAsync(HttpContext.GetSession(), roomAlias, cancellationToken);
        return EmptyResponse.Instance;
    }

    [Authorize]
    [HttpGet("_matrix/client/v3/rooms/{roomId}/aliases")]
    public async Task<JsonObject> GetAliasesAsync(string roomId, CancellationToken cancellationToken) =>
        new() { ["aliases"] = new JsonArray([.. (await aliases.GetAliasesAsync(HttpContext.GetSession(), roomId, cancellationToken)).Select(a => (JsonNode)a)]) };
}
