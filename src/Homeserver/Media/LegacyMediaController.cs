using System.Text.Json.Nodes;
using Homeserver.Client;
using Homeserver.Core.Media;
using Homeserver.Core.Media.Preview;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Media;

/// <summary>
/// The deprecated <c>/_matrix/media/v3/…</c> download, thumbnail, config and preview endpoints (client-server API,
/// "Content repository"). Downloads and thumbnails need no access token here, so they obey the freeze of
/// unauthenticated media; config and previews need one, as the spec says.
/// </summary>
public sealed class LegacyMediaController(MediaService media) : ClientApiController
{
    [HttpGet("_matrix/media/v3/download/{serverName}/{mediaId}")]
    public async Task<MediaFileResult> DownloadAsync(string serverName, string mediaId, [FromQuery(Name = "allow_remote")] string? allowRemote,
        [FromQuery(Name = "timeout_ms")] string? timeoutMs, CancellationToken cancellationToken) =>
        new(await media.DownloadAsync(MediaAccess.Unauthenticated, serverName, mediaId, null, MediaQuery.Parse(allowRemote, timeoutMs), cancellationToken));

    [HttpGet("_matrix/media/v3/download/{serverName}/{mediaId}/{fileName}")]
    public async Task<MediaFileResult> DownloadAsAsync(string serverName, string mediaId, string fileName,
        [FromQuery(Name = "allow_remote")] string? allowRemote, [FromQuery(Name = "timeout_ms")] string? timeoutMs, CancellationToken cancellationToken) =>
        new(await media.DownloadAsync(MediaAccess.Unauthenticated, serverName, mediaId, fileName, MediaQuery.Parse(allowRemote, timeoutMs), cancellationToken));

    [HttpGet("_matrix/media/v3/thumbnail/{serverName}/{mediaId}")]
    public async Task<MediaFileResult> ThumbnailAsync(string serverName, string mediaId, string? width, string? height, string? method, string? animated,
        [FromQuery(Name = "allow_remote")] string? allowRemote, [FromQuery(Name = "timeout_ms")] string? timeoutMs, CancellationToken cancellationToken) =>
        new(await media.ThumbnailAsync(MediaAccess.Unauthenticated, serverName, mediaId, ThumbnailRequest.Parse(width, height, method, animated),
            MediaQuery.Parse(allowRemote, timeoutMs), cancellationToken));

    [Authorize]
    [HttpGet("_matrix/media/v3/config")]
    public MediaConfigResponse Config() => new(media.MaxUploadBytes);

    [Authorize]
    [HttpGet("_matrix/media/v3/preview_url")]
    public Task<JsonObject> PreviewAsync([FromServices] UrlPreviewService previews, string? url, CancellationToken cancellationToken) =>
        previews.PreviewAsync(HttpContext.GetSession(), url, cancellationToken);
}
