namespace Homeserver.Core.Rooms.Engine;

/// <summary>Everything one commit of the room engine writes: all of it is there after a crash, or none.</summary>
public sealed record PersistBatch(
    IReadOnlyList<(long RoomNid, string RoomId, string RoomVersion)> NewRooms,
    IReadOnlyList<(long StateKeyNid, string Type, string StateKey)> NewStateKeys,
    IReadOnlyList<NewSnapshot> NewSnapshots,
    IReadOnlyList<NewEvent> Events,
    IReadOnlyList<CurrentStateChange> CurrentState,
    IReadOnlyList<MembershipChange> Memberships,
    IReadOnlyList<RoomHeadChange> Heads,
    IReadOnlyList<(string Destination, long EventNid)> Outbox,
    IReadOnlyList<PartialStateChange> PartialStates,
    IReadOnlyList<SnapshotFill> SnapshotFills);
