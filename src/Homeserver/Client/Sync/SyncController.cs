using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Sync;
using Homeserver.Core.Sync.Filters;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Sync;

/// <summary><c>GET /_matrix/client/v3/sync</c> (client-server API, "Syncing").</summary>
[Authorize]
public sealed class SyncController(SyncService sync) : ClientApiController
{
    [HttpGet("_matrix/client/v3/sync")]
    public Task<JsonObject> SyncAsync([FromQuery] string? since, [FromQuery] string? timeout, [FromQuery] string? filter,
        [FromQuery(Name = "full_state")] string? fullState, [FromQuery(Name = "set_presence")] string? setPresence, CancellationToken cancellationToken)
    {
        var request = new SyncRequest(since, QueryValues.Limit(timeout), filter, fullState switch
        {
            null or "false" => false,
            "true" => true,
            _ => throw MatrixException.InvalidParam("full_state is true or false"),
        }, setPresence);
        return sync.SyncAsync(HttpContext.GetSession(), request, cancellationToken);
    }
}
