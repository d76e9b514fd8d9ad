using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Membership;

/// <summary>
/// Membership across servers, the resident server's side (server-server API: <c>make_join</c>, <c>send_join</c> v2,
/// <c>make_knock</c>, <c>send_knock</c>, <c>make_leave</c>, <c>send_leave</c> v2) and the invited server's (<c>invite</c> v2).
/// </summary>
public sealed class MembershipController(MembershipHandshake handshake, InviteHandler invites) : FederationApiController
{
    [HttpGet("_matrix/federation/v1/make_join/{roomId}/{userId}")]
    public Task<JsonObject> MakeJoinAsync(string roomId, string userId, [FromQuery] string[]? ver, CancellationToken cancellationToken) =>
        handshake.MakeJoinAsync(Origin, roomId, userId, ver ?? [], cancellationToken);

    [HttpPut("_matrix/federation/v2/send_join/{roomId}/{eventId}")]
    public Task<JsonObject> SendJoinAsync(string roomId, string eventId, [FromBody] JsonObject joinEvent, [FromQuery(Name = "omit_members")] string? omitMembers,
        CancellationToken cancellationToken) =>
        handshake.SendJoinAsync(Origin, roomId, eventId, joinEvent, omitMembers == "true", cancellationToken);

    [HttpGet("_matrix/federation/v1/make_knock/{roomId}/{userId}")]
    public Task<JsonObject> MakeKnockAsync(string roomId, string userId, [FromQuery] string[]? ver, CancellationToken cancellationToken) =>
        handshake.MakeKnockAsync(Origin, roomId, userId, ver ?? [], cancellationToken);

    [HttpPut("_matrix/federation/v1/send_knock/{roomId}/{eventId}")]
    public Task<JsonObject> SendKnockAsync(string roomId, string eventId, [FromBody] JsonObject knockEvent, CancellationToken cancellationToken) =>
        handshake.SendKnockAsync(Origin, roomId, eventId, knockEvent, cancellationToken);

    [HttpGet("_matrix/federation/v1/make_leave/{roomId}/{userId}")]
    public Task<JsonObject> MakeLeaveAsync(string roomId, string userId, CancellationToken cancellationToken) =>
        handshake.MakeLeaveAsync(Origin, roomId, userId, cancellationToken);

    [HttpPut("_matrix/federation/v2/send_leave/{roomId}/{eventId}")]
    public async Task<JsonObject> SendLeaveAsync(string roomId, string eventId, [FromBody] JsonObject leaveEvent, CancellationToken cancellationToken)
    {
        await handshake.SendLeaveAsync(Origin, roomId, eventId, leaveEvent, cancellationToken);
        return [];
    }

    [HttpPut("_matrix/federation/v2/invite/{roomId}/{eventId}")]
    public Task<JsonObject> InviteAsync(string roomId, string eventId, [FromBody] JsonObject body, CancellationToken cancellationToken) =>
        invites.ReceiveAsync(Origin, roomId, eventId, body, cancellationToken);
}
