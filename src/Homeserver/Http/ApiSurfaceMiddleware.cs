using Homeserver.Protocol.Errors;
using Microsoft.AspNetCore.Connections.Features;

namespace Homeserver.Http;

/// <summary>Answers 404 <c>M_UNRECOGNIZED</c> when an endpoint is asked for on a listener that does not serve its API.</summary>
internal sealed class ApiSurfaceMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var surface = context.GetEndpoint()?.Metadata.GetMetadata<ApiSurfaceAttribute>()?.Surface;
        if (surface is { } wanted
            && context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(ListenerSurfaces), out var tag) == true
            && tag is ListenerSurfaces served
            && !served.Surfaces.Contains(wanted))
        {
            return ErrorResponseWriter.WriteAsync(context, StatusCodes.Status404NotFound, ErrorCode.Unrecognized, "Unrecognized request");
        }

        return next(context);
    }
}
