namespace Homeserver.Core.Rooms.Engine;

/// <summary>A state snapshot: a delta over its parent (a null event removes the key), or (no parent) the complete state.</summary>
public sealed record NewSnapshot(long SnapshotNid, long RoomNid, long? ParentSnapshotNid, int DeltaDepth, string StateHash,
    IReadOnlyList<(long StateKeyNid, long? EventNid)> Entries);
