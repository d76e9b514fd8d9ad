using Homeserver.Core.Media;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Homeserver.Media;

/// <summary>
/// Sends media with the headers that keep it from acting as a web page of the server's origin: the spec's
/// Content-Security-Policy, a Content-Disposition that is <c>inline</c> only for the spec's safe types, and
/// <c>nosniff</c> so browsers trust the declared type. Streams from disk, with range requests and ETags.
/// </summary>
public sealed class MediaFileResult(MediaDownload download) : IActionResult
{
    /// <summary>The policy the spec recommends for served content ("Content repository").</summary>
    public const string ContentSecurityPolicy =
        "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; style-src 'unsafe-inline'; object-src 'self';";

    public MediaDownload Download { get; } = download;

    public Task ExecuteResultAsync(ActionContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        headers.XContentTypeOptions = "nosniff";
        // An mxc:// URI never changes content, but access to it can (the freeze, future deletion): cache, privately.
        headers.CacheControl = "private, max-age=86400";
        headers.ContentDisposition = MediaHeaders.ContentDisposition(Download);
        var file = new FileStreamResult(Download.Content, MediaHeaders.ContentType(Download))
        {
            EntityTag = new EntityTagHeaderValue($"\"{Download.ETag}\""),
            EnableRangeProcessing = true,
        };
        return file.ExecuteResultAsync(context);
    }
}
