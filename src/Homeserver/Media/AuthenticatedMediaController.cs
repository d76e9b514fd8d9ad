using System.Text.Json.Nodes;
using Homeserver.Client;
using Homeserver.Core.Media;
using Homeserver.Core.Media.Preview;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Media;

/// <summary>
/// <c>GET /_matrix/client/v1/media/{download,thumbnail,config,preview_url}</c> (client-server API, "Content
/// repository", authenticated media, spec v1.11): the same content as the deprecated endpoints, behind an access
/// token, and never frozen.
/// </summary>
[Authorize]
public sealed class AuthenticatedMediaController(MediaService media) : ClientApiController
{
    [HttpGet("_matrix/client/v1/media/download/{serverName}/{mediaId}")]
    public async Task<MediaFileResult> DownloadAsync(string serverName, string mediaId, [FromQuery(Name = "timeout_ms")] string? timeoutMs,
        CancellationToken cancellationToken) =>
        new(await media.DownloadAsync(MediaAccess.Authenticated, serverName, mediaId, null, MediaQuery.Parse(null, timeoutMs), cancellationToken));

    [HttpGet("_matrix/client/v1/media/download/{serverName}/{mediaId}/{fileName}")]
    public async Task<MediaFileResult> DownloadAsAsync(string serverName, string mediaId, string fileName, [FromQuery(Name = "timeout_ms")] string? timeoutMs,
        CancellationToken cancellationToken) =>
        new(await media.DownloadAsync(MediaAccess.Authenticated, serverName, mediaId, fileName, MediaQuery.Parse(null, timeoutMs), cancellationToken));

    [HttpGet("_matrix/client/v1/media/thumbnail/{serverName}/{mediaId}")]
    public async Task<MediaFileResult> ThumbnailAsync(string serverName, string mediaId, string? width, string? height, string? method, string? animated,
        [FromQuery(Name = "timeout_ms")] string? timeoutMs, CancellationToken cancellationToken) =>
        new(await media.ThumbnailAsync(MediaAccess.Authenticated, serverName, mediaId, ThumbnailRequest.Parse(width, height, method, animated),
            MediaQuery.Parse(null, timeoutMs), cancellationToken));

    [HttpGet("_matrix/client/v1/media/config")]
    public MediaConfigResponse Config() => new(media.MaxUploadBytes);

    [HttpGet("_matrix/client/v1/media/preview_url")]
    public Task<JsonObject> PreviewAsync([FromServices] UrlPreviewService previews, string? url, CancellationToken cancellationToken) =>
        previews.PreviewAsync(HttpContext.GetSession(), url, cancellationToken);
}
