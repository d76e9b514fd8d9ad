namespace Homeserver.Core.Rooms.Engine;

/// <summary>What the engine needs of a room to add events to it: its current state and forward extremities.</summary>
public sealed record LoadedRoom(
    long RoomNid,
    string RoomId,
    string RoomVersion,
    long? CurrentSnapshotNid,
    int CurrentSnapshotDeltaDepth,
    string? CurrentStateHash,
    IReadOnlyList<(long StateKeyNid, StoredEvent Event)> State,
    IReadOnlyList<StoredEvent> ForwardExtremities,
    PartialState? Partial);
