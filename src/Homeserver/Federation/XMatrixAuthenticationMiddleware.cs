using System.Text.Json;
using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Homeserver.Http;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Identifiers;
using Microsoft.AspNetCore.Http.Features;

namespace Homeserver.Federation;

/// <summary>
/// Authenticates server-server requests (server-server API, "Request Authentication"): the X-Matrix header must name
/// a valid origin, this server as destination (when given), and carry the origin's signature over the method, the
/// URI as sent, both names and the JSON body, checked with the origin's key. Anything else is 401
/// <c>M_UNAUTHORIZED</c>. A verified request also tells the sender that the origin is up.
/// </summary>
internal sealed class XMatrixAuthenticationMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IServerKeyRing keyRing, ServerIdentity server, OutboxSignal signal, TimeProvider time)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<ApiSurfaceAttribute>()?.Surface != ApiSurface.Federation
            || endpoint.Metadata.GetMetadata<AllowUnsignedRequestsAttribute>() is not null)
        {
            await next(context);
            return;
        }

        if (!XMatrixAuthorization.TryParse(context.Request.Headers.Authorization.ToString(), out var authorization)
            || !ServerName.TryParse(authorization.Origin, out _))
        {
            await RefuseAsync(context, "An X-Matrix Authorization header is required");
            return;
        }

        if (authorization.Destination is { } destination && destination != server.ServerName)
        {
            await RefuseAsync(context, $"This server is {server.ServerName}, not {destination}");
            return;
        }

        JsonNode? content = null;
        if (HttpMethods.IsPut(context.Request.Method) || HttpMethods.IsPost(context.Request.Method))
        {
            context.Request.EnableBuffering();
            try
            {
                content = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            }
            catch (JsonException)
            {
                await ErrorResponseWriter.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCode.NotJson, "The body is not JSON");
                return;
            }

            context.Request.Body.Position = 0;
        }

        var keys = await keyRing.GetKeysAsync(
            [(authorization.Origin, authorization.KeyId, time.GetUtcNow().ToUnixTimeMilliseconds())], context.RequestAborted);
        var uri = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        if (!keys.TryGetValue((authorization.Origin, authorization.KeyId), out var key)
            || !authorization.Verify(context.Request.Method, uri, server.ServerName, content, key.PublicKey))
        {
            await RefuseAsync(context, "The X-Matrix signature could not be verified");
            return;
        }

        context.Features.Set(new FederationRequestOrigin(authorization.Origin));
        signal.Contacted(authorization.Origin);
        await next(context);
    }

    private static Task RefuseAsync(HttpContext context, string message) =>
        ErrorResponseWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCode.Unauthorized, message);
}
