namespace Homeserver.Core.Rooms.Engine;

/// <summary>The highest numeric IDs in use, from which the engine (the only writer of these tables) counts on.</summary>
public sealed record EngineIds(long RoomNid, long EventNid, long StateKeyNid, long SnapshotNid);
