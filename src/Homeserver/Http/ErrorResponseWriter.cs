using Homeserver.Core.Json;
using System.Text.Json;
using Homeserver.Protocol.Errors;

namespace Homeserver.Http;

internal static class ErrorResponseWriter
{
    public static async Task WriteAsync(HttpContext context, int statusCode, ErrorCode code, string message, TimeSpan? retryAfter = null, bool? softLogout = null, IReadOnlyDictionary<string, string>? details = null)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        if (retryAfter is { } wait)
        {
            // Clients of spec v1.10+ read Retry-After; older ones read retry_after_ms.
            response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var body = new ErrorResponse(code.Value, message, retryAfter is { } r ? (long)r.TotalMilliseconds : null, softLogout)
        {
            Details = details?.ToDictionary(d => d.Key, object (d) => d.Value, StringComparer.Ordinal),
        };
        await JsonSerializer.SerializeAsync(response.Body, body, MatrixJson.Options, context.RequestAborted);
    }
}
