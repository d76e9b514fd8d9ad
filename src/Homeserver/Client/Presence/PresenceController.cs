using System.Text.Json.Nodes;
using Homeserver.Core.Presence;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Presence;

/// <summary><c>GET|PUT /_matrix/client/v3/presence/{userId}/status</c> (client-server API, "Presence").</summary>
[Authorize]
public sealed class PresenceController(PresenceService presence) : ClientApiController
{
    [HttpGet("_matrix/client/v3/presence/{userId}/status")]
    public Task<JsonObject> GetAsync(string userId, CancellationToken cancellationToken) =>
        presence.GetAsync(HttpContext.GetSession(), userId, cancellationToken);

    [HttpPut("_matrix/client/v3/presence/{userId}/status")]
    public async Task<EmptyResponse> SetAsync(string userId, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await presence.SetAsync(HttpContext.GetSession(), userId, body, cancellationToken);
        return EmptyResponse.Instance;
    }
}
