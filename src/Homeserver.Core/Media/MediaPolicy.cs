namespace Homeserver.Core.Media;

/// <summary>The administrator's media settings that the use cases apply.</summary>
/// <param name="MaxUploadBytes">The largest upload accepted (advertised as <c>m.upload.size</c>).</param>
/// <param name="MaxThumbnailSourcePixels">Larger images are not decoded for thumbnails (413 M_TOO_LARGE).</param>
/// <param name="MaxPendingUploadsPerUser">How many created but not uploaded media IDs a user may hold at once.</param>
/// <param name="UnauthenticatedFreezeTs">
/// Media uploaded at or after this time (ms since the epoch) is not served by the deprecated unauthenticated
/// endpoints; null serves all media there.
/// </param>
public sealed record MediaPolicy(long MaxUploadBytes, long MaxThumbnailSourcePixels, int MaxPendingUploadsPerUser, long? UnauthenticatedFreezeTs)
{
    /// <summary>The spec's recommended default expiry of unused media IDs.</summary>
    public static readonly TimeSpan UnusedExpiry = TimeSpan.FromHours(24);
}
