using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Protocol.Errors;

namespace Homeserver.Core.Media.Preview;

/// <summary>
/// <c>GET /_matrix/client/v1/media/preview_url</c>: the OpenGraph data of a web page, its image copied into the
/// content repository so that clients never contact the page's server themselves.
/// </summary>
public sealed class UrlPreviewService(IUrlFetcher fetcher, MediaService media, UrlPreviewPolicy policy)
{
    /// <exception cref="MatrixException">
    /// 404 M_UNRECOGNIZED when previews are turned off; 400 for a missing or non-http(s) URL; 403 for a URL that
    /// leads to a refused address; 502 when the page cannot be fetched.
    /// </exception>
    public async Task<JsonObject> PreviewAsync(Session session, string? url, CancellationToken cancellationToken)
    {
        if (!policy.Enabled)
        {
            throw MatrixException.Unrecognized("URL previews are turned off on this server");
        }

        if (string.IsNullOrEmpty(url))
        {
            throw MatrixException.MissingParam("The url parameter is required");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw MatrixException.InvalidParam("Only absolute http and https URLs can be previewed");
        }

        var page = await fetcher.FetchAsync(uri, Math.Max(policy.MaxPageBytes, policy.MaxImageBytes), cancellationToken);
        switch (page.Status)
        {
            case FetchStatus.Blocked:
                throw MatrixException.Forbidden("The URL leads to an address this server does not fetch from");
            case FetchStatus.Failed:
                throw new MatrixException(ErrorCode.Unknown, 502, "The URL could not be fetched");
        }

        if (IsImage(page.ContentType))
        {
            var preview = new JsonObject();
            await AddImageAsync(session, preview, page, cancellationToken);
            return preview;
        }

        if (!IsHtml(page.ContentType))
        {
            return new JsonObject();
        }

        var body = page.Body!.Length > policy.MaxPageBytes ? page.Body[..(int)policy.MaxPageBytes] : page.Body;
        var properties = OpenGraphParser.Parse(body, page.ContentType, page.FinalUrl ?? uri);
        properties.Remove("og:image", out var imageNode);
        if (imageNode is JsonValue imageValue && imageValue.TryGetValue<string>(out var imageUrl) && Uri.TryCreate(imageUrl, UriKind.Absolute, out var imageUri)
            && (imageUri.Scheme == Uri.UriSchemeHttp || imageUri.Scheme == Uri.UriSchemeHttps))
        {
            var image = await fetcher.FetchAsync(imageUri, policy.MaxImageBytes, cancellationToken);
            if (image.Status == FetchStatus.Ok && IsImage(image.ContentType))
            {
                await AddImageAsync(session, properties, image, cancellationToken);
            }
        }

        return properties;
    }

    private async Task AddImageAsync(Session session, JsonObject preview, FetchResult image, CancellationToken cancellationToken)
    {
        if (image.Truncated || image.Body is not { Length: > 0 } bytes || bytes.Length > policy.MaxImageBytes)
        {
            return;
        }

        using var content = new MemoryStream(bytes, writable: false);
        preview["og:image"] = await media.UploadAsync(session, content, image.ContentType, fileName: null, bytes.Length, cancellationToken);
        preview["og:image:type"] = image.ContentType;
        preview["matrix:image:size"] = bytes.Length;
    }

    private static bool IsImage(string? contentType) => contentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsHtml(string? contentType) =>
        contentType is null
        || contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/xhtml", StringComparison.OrdinalIgnoreCase);
}
