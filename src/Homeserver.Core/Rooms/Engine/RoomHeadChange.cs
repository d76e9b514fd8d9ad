namespace Homeserver.Core.Rooms.Engine;

/// <summary>How a batch moved a room's head: its forward extremities and its current state snapshot.</summary>
public sealed record RoomHeadChange(long RoomNid, IReadOnlyList<long> RemovedExtremities, IReadOnlyList<long> AddedExtremities, long? CurrentSnapshotNid);
