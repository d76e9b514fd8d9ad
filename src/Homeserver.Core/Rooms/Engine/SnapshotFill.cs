namespace Homeserver.Core.Rooms.Engine;

/// <summary>Entries added to a complete snapshot written while its room's state was partial: the keys it lacked.</summary>
public sealed record SnapshotFill(long SnapshotNid, IReadOnlyList<(long StateKeyNid, long EventNid)> Entries);
