namespace Homeserver.Core.Media;

/// <summary>
/// What the database holds about one piece of media. Content fields are null while the media is only created
/// (<c>POST /_matrix/media/v1/create</c>) and not yet uploaded.
/// </summary>
/// <param name="Uploader">The local user who created it; null for media fetched from other servers.</param>
/// <param name="UploadedTs">When the content arrived; what the freeze of unauthenticated media compares with.</param>
public sealed record MediaRecord(
    string ServerName,
    string MediaId,
    string? Uploader,
    long CreatedTs,
    string? ContentType = null,
    string? UploadName = null,
    long? Size = null,
    string? Sha256 = null,
    long? UploadedTs = null)
{
    public bool IsUploaded => Sha256 is not null;
}
