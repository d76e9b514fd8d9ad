namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// How a batch moved a room's head: its forward extremities and its current state snapshot (<paramref name="SnapshotMoved"/>
/// unless every event of the batch left the state as it was, as messages do).
/// </summary>
public sealed record RoomHeadChange(long RoomNid, IReadOnlyList<long> RemovedExtremities, IReadOnlyList<long> AddedExtremities, long? CurrentSnapshotNid, bool SnapshotMoved);
