using Homeserver.Core.Media;
using Homeserver.Core.Server;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Media;

/// <summary>
/// <c>GET /_matrix/federation/v1/media/download/{mediaId}</c> and <c>/media/thumbnail/{mediaId}</c> (server-server
/// API, "Content Repository", spec v1.11): this server's own media for other servers, X-Matrix signed, as
/// <c>multipart/mixed</c>.
/// </summary>
public sealed class FederationMediaController(MediaService media, ServerIdentity server) : FederationApiController
{
    // A server asking us for our media must never make us ask a third one (the spec's guard against loops).
    private const string NoRemote = "false";

    [HttpGet("_matrix/federation/v1/media/download/{mediaId}")]
    public async Task<MultipartMediaResult> DownloadAsync(string mediaId, [FromQuery(Name = "timeout_ms")] string? timeoutMs,
        CancellationToken cancellationToken) =>
        new(await media.DownloadAsync(MediaAccess.Federation, server.ServerName, mediaId, null, MediaQuery.Parse(NoRemote, timeoutMs), cancellationToken));

    [HttpGet("_matrix/federation/v1/media/thumbnail/{mediaId}")]
    public async Task<MultipartMediaResult> ThumbnailAsync(string mediaId, string? width, string? height, string? method, string? animated,
        [FromQuery(Name = "timeout_ms")] string? timeoutMs, CancellationToken cancellationToken) =>
        new(await media.ThumbnailAsync(MediaAccess.Federation, server.ServerName, mediaId, ThumbnailRequest.Parse(width, height, method, animated),
            MediaQuery.Parse(NoRemote, timeoutMs), cancellationToken));
}
