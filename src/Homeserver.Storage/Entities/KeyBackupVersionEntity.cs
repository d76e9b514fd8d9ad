namespace Homeserver.Storage.Entities;

/// <summary>
/// A server-side key backup version. Deleted versions keep their row, so that their numbers are never reused and
/// deleting one twice succeeds.
/// </summary>
public sealed class KeyBackupVersionEntity
{
    public required string UserId { get; set; }

    public long Version { get; set; }

    public required string Algorithm { get; set; }

    public required string AuthData { get; set; }

    /// <summary>Changes whenever the version's keys change.</summary>
    public long Etag { get; set; }

    public bool IsDeleted { get; set; }
}
