namespace Homeserver.Storage.Entities;

/// <summary>One backed-up megolm session key of a backup version.</summary>
public sealed class KeyBackupKeyEntity
{
    public required string UserId { get; set; }

    public long Version { get; set; }

    public required string RoomId { get; set; }

    public required string SessionId { get; set; }

    public long FirstMessageIndex { get; set; }

    public long ForwardedCount { get; set; }

    public bool IsVerified { get; set; }

    public required string SessionData { get; set; }
}
