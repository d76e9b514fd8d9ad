using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Membership;

/// <summary>Joining rooms, the resident server's side (server-server API: <c>make_join</c>, <c>send_join</c> v2).</summary>
public sealed class JoinController(JoinHandler joins) : FederationApiController
{
    [HttpGet("_matrix/federation/v1/make_join/{roomId}/{userId}")]
    public Task<JsonObject> MakeJoinAsync(string roomId, string userId, [FromQuery] string[]? ver, CancellationToken cancellationToken) =>
        joins.MakeJoinAsync(Origin, roomId, userId, ver ?? [], cancellationToken);

    [HttpPut("_matrix/federation/v2/send_join/{roomId}/{eventId}")]
    public Task<JsonObject> SendJoinAsync(string roomId, string eventId, [FromBody] JsonObject joinEvent, CancellationToken cancellationToken) =>
        joins.SendJoinAsync(Origin, roomId, eventId, joinEvent, cancellationToken);
}
