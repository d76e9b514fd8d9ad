using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Homeserver.Core.Json;
using Homeserver.Core.Sync;
using Homeserver.Core.Sync.Filters;
using Homeserver.Http;

namespace Homeserver.Client.Sync;

/// <summary>
/// <c>GET /_matrix/client/v3/sync</c> (client-server API, "Syncing"), and its <c>r0</c> alias. The one endpoint
/// served outside MVC: every client holds a sync open and starts the next as soon as one is answered, so it is
/// most of the requests a busy server answers, and MVC's action pipeline (binding, filters, result executors) cost
/// more than the rest of a sync woken by a message (docs/benchmarks.md). Authorisation, the listener check and the
/// error middleware apply as to every controller.
/// </summary>
internal static class SyncEndpoint
{
    private const string Path = "_matrix/client/v3/sync";
    private static readonly JsonTypeInfo<JsonObject> ResponseInfo = (JsonTypeInfo<JsonObject>)MatrixJson.Options.GetTypeInfo(typeof(JsonObject));

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var path in new[] { Path, LegacyPrefixConvention.LegacyAlias(Path)! })
        {
            endpoints.MapGet(path, SyncAsync)
                .RequireAuthorization()
                .WithMetadata(new ApiSurfaceAttribute(ApiSurface.Client));
        }
    }

    private static async Task SyncAsync(HttpContext context)
    {
        var request = new SyncRequest(Query(context, "since"), QueryValues.Limit(Query(context, "timeout")), Query(context, "filter"),
            QueryValues.Flag(Query(context, "full_state"), "full_state"), Query(context, "set_presence"));
        var sync = context.RequestServices.GetRequiredService<SyncService>();
        var response = await sync.SyncAsync(context.GetSession(), request, context.RequestAborted);
        // Streamed, flushed as it goes: an initial sync of a large account runs to megabytes.
        await context.Response.WriteAsJsonAsync(response, ResponseInfo, cancellationToken: context.RequestAborted);
    }

    private static string? Query(HttpContext context, string name) => context.Request.Query.TryGetValue(name, out var values) ? values[0] : null;
}
