using System.Text.Json.Nodes;
using Homeserver.Core.Rooms;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Rooms;

/// <summary><c>POST /_matrix/client/v3/createRoom</c> (client-server API, "Creation").</summary>
[Authorize]
public sealed class RoomCreationController(RoomCreationService creation) : ClientApiController
{
    [HttpPost("_matrix/client/v3/createRoom")]
    public async Task<RoomIdResponse> CreateAsync([FromBody] JsonObject body, CancellationToken cancellationToken) =>
        new(await creation.CreateAsync(HttpContext.GetSession(), body, cancellationToken));
}
