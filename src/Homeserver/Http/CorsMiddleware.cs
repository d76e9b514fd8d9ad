namespace Homeserver.Http;

/// <summary>
/// The CORS headers the spec asks for on every response (client-server API, "Web Browser Clients"); pre-flight
/// <c>OPTIONS</c> requests are answered here without running any endpoint logic.
/// </summary>
internal sealed class CorsMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = "GET, POST, PUT, DELETE, OPTIONS";
        headers.AccessControlAllowHeaders = "X-Requested-With, Content-Type, Authorization";
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
