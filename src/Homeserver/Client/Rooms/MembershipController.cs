using System.Text.Json.Nodes;
using Homeserver.Core.Json;
using Homeserver.Core.Rooms;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Rooms;

/// <summary>
/// Room membership (client-server API, "Room membership"): <c>/join</c>, <c>/rooms/{roomId}/join</c>, <c>/knock</c>,
/// <c>/invite</c>, <c>/leave</c>, <c>/forget</c>, <c>/kick</c>, <c>/ban</c>, <c>/unban</c> and <c>/joined_rooms</c>.
/// </summary>
[Authorize]
public sealed class MembershipController(MembershipService memberships) : ClientApiController
{
    /// <param name="via">Servers to join through; <c>server_name</c> is its deprecated spelling.</param>
    [HttpPost("_matrix/client/v3/join/{roomIdOrAlias}")]
    public async Task<RoomIdResponse> JoinAsync(string roomIdOrAlias, [FromBody] JsonObject? body, [FromQuery] string[]? via,
        [FromQuery(Name = "server_name")] string[]? serverName, CancellationToken cancellationToken) =>
        new(await memberships.JoinAsync(HttpContext.GetSession(), roomIdOrAlias, body?.OptionalString("reason"), [.. via ?? [], .. serverName ?? []], cancellationToken));

    [HttpPost("_matrix/client/v3/rooms/{roomId}/join")]
    public Task<RoomIdResponse> JoinRoomAsync(string roomId, [FromBody] JsonObject? body, CancellationToken cancellationToken) =>
        JoinAsync(roomId, body, null, null, cancellationToken);

    [HttpPost("_matrix/client/v3/knock/{roomIdOrAlias}")]
    public async Task<RoomIdResponse> KnockAsync(string roomIdOrAlias, [FromBody] JsonObject? body, [FromQuery] string[]? via,
        [FromQuery(Name = "server_name")] string[]? serverName, CancellationToken cancellationToken) =>
        new(await memberships.KnockAsync(HttpContext.GetSession(), roomIdOrAlias, body?.OptionalString("reason"), [.. via ?? [], .. serverName ?? []], cancellationToken));

    [HttpPost("_matrix/client/v3/rooms/{roomId}/invite")]
    public async Task<EmptyResponse> InviteAsync(string roomId, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await memberships.InviteAsync(HttpContext.GetSession(), roomId, body.RequiredString("user_id"), body.OptionalString("reason"), isDirect: false, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/rooms/{roomId}/leave")]
    public async Task<EmptyResponse> LeaveAsync(string roomId, [FromBody] JsonObject? body, CancellationToken cancellationToken)
    {
        await memberships.LeaveAsync(HttpContext.GetSession(), roomId, body?.OptionalString("reason"), cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/rooms/{roomId}/forget")]
    public async Task<EmptyResponse> ForgetAsync(string roomId, CancellationToken cancellationToken)
    {
        await memberships.ForgetAsync(HttpContext.GetSession(), roomId, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/rooms/{roomId}/kick")]
    public async Task<EmptyResponse> KickAsync(string roomId, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await memberships.KickAsync(HttpContext.GetSession(), roomId, body.RequiredString("user_id"), body.OptionalString("reason"), cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/rooms/{roomId}/ban")]
    public async Task<EmptyResponse> BanAsync(string roomId, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await memberships.BanAsync(HttpContext.GetSession(), roomId, body.RequiredString("user_id"), body.OptionalString("reason"), cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/rooms/{roomId}/unban")]
    public async Task<EmptyResponse> UnbanAsync(string roomId, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await memberships.UnbanAsync(HttpContext.GetSession(), roomId, body.RequiredString("user_id"), body.OptionalString("reason"), cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpGet("_matrix/client/v3/joined_rooms")]
    public async Task<JoinedRoomsResponse> JoinedRoomsAsync(CancellationToken cancellationToken) =>
        new(await memberships.JoinedRoomsAsync(HttpContext.GetSession(), cancellationToken));
}
