namespace Homeserver.Core.Rooms.Engine;

/// <summary>A stored event as the engine needs it to place a received event: where it is in the DAG and its state.</summary>
public sealed record KnownEvent(long RoomNid, StoredEvent Event, long? StateKeyNid, long? SnapshotNidBefore, bool IsOutlier, bool IsSoftFailed);
