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
    // The busiest endpoint reads its query itself: MVC's model binding of five parameters cost more than the rest
    // of a woken sync allocates (docs/benchmarks.md).
    [HttpGet("_matrix/client/v3/sync")]
    public Task<JsonObject> SyncAsync()
    {
        var request = new SyncRequest(Query("since"), QueryValues.Limit(Query("timeout")), Query("filter"), Query("full_state") switch
        {
            null or "false" => false,
            "true" => true,
            _ => throw MatrixException.InvalidParam("full_state is true or false"),
        }, Query("set_presence"));
        return sync.SyncAsync(HttpContext.GetSession(), request, HttpContext.RequestAborted);
    }

    private string? Query(string name) => Request.Query.TryGetValue(name, out var values) ? values[0] : null;
}
