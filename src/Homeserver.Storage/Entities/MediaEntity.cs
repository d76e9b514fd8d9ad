namespace Homeserver.Storage.Entities;

/// <summary>
/// One piece of media, local or cached from another server. The bytes live on disk under their SHA-256; the
/// content columns stay null while a created media ID waits for its upload.
/// </summary>
public sealed class MediaEntity
{
    public required string ServerName { get; set; }

    public required string MediaId { get; set; }

    public string? UploaderUserId { get; set; }

    public long CreatedTs { get; set; }

    public string? ContentType { get; set; }

    public string? UploadName { get; set; }

    public long? Size { get; set; }

    public string? Sha256 { get; set; }

    public long? UploadedTs { get; set; }
}
