using Homeserver.Core.Media;
using Microsoft.Net.Http.Headers;

namespace Homeserver.Media;

/// <summary>
/// The headers that describe served media, the same whether it goes to a client as a response or to another server
/// as a part of a <c>multipart/mixed</c> answer.
/// </summary>
public static class MediaHeaders
{
    /// <summary><c>inline</c> only for the spec's safe types, otherwise <c>attachment</c>; with the file name, encoded as RFC 6266 asks.</summary>
    public static string ContentDisposition(MediaDownload download)
    {
        var disposition = new ContentDispositionHeaderValue(download.Inline ? "inline" : "attachment");
        if (download.FileName is { } fileName)
        {
            disposition.SetHttpFileName(fileName);
        }

        return disposition.ToString();
    }

    /// <summary>The stored type, unless it would not survive as a header (then a plain byte stream).</summary>
    public static string ContentType(MediaDownload download) =>
        MediaTypeHeaderValue.TryParse(download.ContentType, out _) ? download.ContentType : "application/octet-stream";
}
