namespace Homeserver.Storage.Entities;

/// <summary>A room state, stored as a delta over its parent snapshot (null parent: a full snapshot).</summary>
public sealed class StateSnapshotEntity
{
    public long SnapshotNid { get; set; }

    public long RoomNid { get; set; }

    public long? ParentSnapshotNid { get; set; }

    /// <summary>Deltas since the last full snapshot; bounded so that loading a state reads a bounded chain.</summary>
    public int DeltaDepth { get; set; }

    /// <summary>A hash of the complete state, so that identical snapshots are shared, never copied.</summary>
    public required string StateHash { get; set; }
}
