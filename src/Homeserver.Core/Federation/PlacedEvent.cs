namespace Homeserver.Core.Federation;

/// <summary>A timeline event and where it sits: its room and the state snapshot before it.</summary>
public sealed record PlacedEvent(long EventNid, long RoomNid, string RoomId, long? SnapshotNidBefore, string Json);
