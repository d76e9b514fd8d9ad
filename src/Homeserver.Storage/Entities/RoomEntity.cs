namespace Homeserver.Storage.Entities;

/// <summary>A room known to this server; its numeric ID (NID) is what every other table refers to.</summary>
public sealed class RoomEntity
{
    public long RoomNid { get; set; }

    public required string RoomId { get; set; }

    public required string RoomVersion { get; set; }

    /// <summary>The state snapshot of the current state, whose entries are materialised in current_state.</summary>
    public long? CurrentSnapshotNid { get; set; }

    public bool IsPublic { get; set; }
}
