namespace Homeserver.Storage.Entities;

/// <summary>Global (no room) or per-room account data of a user, latest value per type.</summary>
public sealed class AccountDataEntity
{
    public long StreamPosition { get; set; }

    public required string UserId { get; set; }

    /// <summary>0 for global account data (0 rather than null, so that the unique index covers it on every database).</summary>
    public long RoomNid { get; set; }

    public required string Type { get; set; }

    public required string Content { get; set; }
}
