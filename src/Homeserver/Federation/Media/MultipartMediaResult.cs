using System.Text;
using Homeserver.Core.Media;
using Homeserver.Media;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Media;

/// <summary>
/// Media for another server (server-server API, "Content Repository"): a <c>multipart/mixed</c> body of exactly
/// two parts, the metadata (<c>{}</c>, all the spec defines) and the content with the headers a client would get.
/// The content is streamed, never held whole.
/// </summary>
public sealed class MultipartMediaResult(MediaDownload download) : IActionResult
{
    public MediaDownload Download { get; } = download;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var cancellationToken = context.HttpContext.RequestAborted;
        await using var content = Download.Content;

        // Random per answer, so that no uploader can plant the delimiter inside the content it precedes.
        var boundary = Guid.NewGuid().ToString("N");
        var head = Encoding.UTF8.GetBytes(
            $"--{boundary}\r\nContent-Type: application/json\r\n\r\n{{}}\r\n" +
            $"--{boundary}\r\nContent-Type: {MediaHeaders.ContentType(Download)}\r\nContent-Disposition: {MediaHeaders.ContentDisposition(Download)}\r\n\r\n");
        var tail = Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n");
        response.ContentType = $"multipart/mixed; boundary={boundary}";
        if (content.CanSeek)
        {
            response.ContentLength = head.Length + (content.Length - content.Position) + tail.Length;
        }

        await response.Body.WriteAsync(head, cancellationToken);
        await content.CopyToAsync(response.Body, cancellationToken);
        await response.Body.WriteAsync(tail, cancellationToken);
    }
}
