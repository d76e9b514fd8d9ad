namespace Homeserver.Configuration;

/// <summary>The <c>Homeserver:Media</c> section: the content repository.</summary>
public sealed class MediaOptions
{
    /// <summary>The largest upload accepted, in bytes; also the request body limit of the upload endpoints.</summary>
    public long MaxUploadBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>Images with more pixels are not decoded for thumbnails (a decompression bomb guard).</summary>
    public long MaxThumbnailSourcePixels { get; set; } = 50_000_000;

    /// <summary>How many created (<c>/_matrix/media/v1/create</c>) but not yet uploaded media IDs a user may hold.</summary>
    public int MaxPendingUploadsPerUser { get; set; } = 50;

    /// <summary>
    /// When set, media uploaded at or after this instant is served only by the authenticated endpoints
    /// (<c>/_matrix/client/v1/media/…</c>); the deprecated unauthenticated ones answer 404 for it.
    /// </summary>
    public DateTimeOffset? FreezeUnauthenticatedMediaAt { get; set; }

    public UrlPreviewOptions UrlPreview { get; set; } = new();
}
