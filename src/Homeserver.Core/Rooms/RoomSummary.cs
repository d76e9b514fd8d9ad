namespace Homeserver.Core.Rooms;

/// <summary>A room known to this server.</summary>
public sealed record RoomSummary(long RoomNid, string RoomId, string RoomVersion, bool IsPublic, long? CurrentSnapshotNid);
