using Homeserver.Core.Json;
using System.Text.Json;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Protocol.Errors;

namespace Homeserver.Http;

/// <summary>
/// The one place where failures become the spec's error JSON: a <see cref="MatrixException"/> keeps its code and
/// status, a request Kestrel refuses (body too large, malformed) becomes the matching 4xx, and anything else is
/// logged as a bug and answered 500 <c>M_UNKNOWN</c>.
/// </summary>
internal sealed partial class MatrixErrorMiddleware(RequestDelegate next, ILogger<MatrixErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (UiaRequiredException uia) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "application/json";
            var body = new UiaResponse(
                [.. uia.Flows.Select(stages => new UiaFlow(stages))], new Dictionary<string, object>(), uia.Session, uia.Completed,
                uia.StageError?.Value, uia.StageError is null ? null : uia.Message);
            await JsonSerializer.SerializeAsync(context.Response.Body, body, MatrixJson.Options, context.RequestAborted);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, code, message, retryAfter) = Map(e);
            var details = (e as MatrixException)?.Details;
            if (status >= 500)
            {
                LogUnhandled(logger, e, context.Request.Method, context.Request.Path);
            }

            context.Response.Clear();
            await ErrorResponseWriter.WriteAsync(context, status, code, message, retryAfter, details: details);
        }
    }

    private static (int Status, ErrorCode Code, string Message, TimeSpan? RetryAfter) Map(Exception e) => e switch
    {
        MatrixException m => (m.StatusCode, m.ErrorCode, m.Message, m.RetryAfter),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, ErrorCode.TooLarge, "The request body is too large", null),
        BadHttpRequestException b => (b.StatusCode, ErrorCode.Unknown, "Malformed request", null),
        JsonException => (400, ErrorCode.NotJson, "The request body is not valid JSON", null),
        _ => (500, ErrorCode.Unknown, "Internal server error", null),
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
