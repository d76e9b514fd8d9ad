namespace Homeserver.Core.Rooms.Engine;

/// <summary>What one batch of the writer has built so far, and the numeric IDs it has handed out.</summary>
internal sealed class BatchWork(EngineIds ids)
{
    private long _roomNid = ids.RoomNid;
    private long _eventNid = ids.EventNid;
    private long _stateKeyNid = ids.StateKeyNid;
    private long _snapshotNid = ids.SnapshotNid;

    public EngineIds Ids => new(_roomNid, _eventNid, _stateKeyNid, _snapshotNid);

    public List<(long RoomNid, string RoomId, string RoomVersion)> NewRooms { get; } = [];

    public List<(long StateKeyNid, string Type, string StateKey)> NewStateKeys { get; } = [];

    public List<NewSnapshot> NewSnapshots { get; } = [];

    public List<NewEvent> Events { get; } = [];

    /// <summary>Per room: the extremities the batch removes (those in the database before it) and the ones it leaves.</summary>
    public Dictionary<long, (LiveRoom Room, List<long> Removed, List<long> Added)> Heads { get; } = [];

    public HashSet<LiveRoom> TouchedRooms { get; } = [];

    public HashSet<string> MembershipTargets { get; } = new(StringComparer.Ordinal);

    public List<(WriteRequest Request, WriteResult Result)> Completed { get; } = [];

    public long NextRoomNid() => ++_roomNid;

    public long NextEventNid() => ++_eventNid;

    public long NextStateKeyNid() => ++_stateKeyNid;

    public long NextSnapshotNid() => ++_snapshotNid;

    /// <summary>A separate work area that continues this one's numbering, for a write that must succeed whole or not at all.</summary>
    public BatchWork Fork() => new(Ids);

    public void Merge(BatchWork other)
    {
        (_roomNid, _eventNid, _stateKeyNid, _snapshotNid) = (other._roomNid, other._eventNid, other._stateKeyNid, other._snapshotNid);
        NewRooms.AddRange(other.NewRooms);
        NewStateKeys.AddRange(other.NewStateKeys);
        NewSnapshots.AddRange(other.NewSnapshots);
        Events.AddRange(other.Events);
        TouchedRooms.UnionWith(other.TouchedRooms);
        MembershipTargets.UnionWith(other.MembershipTargets);
    }

    public PersistBatch ToBatch() => new(
        NewRooms,
        NewStateKeys,
        NewSnapshots,
        Events,
        [.. Heads.Values.Select(h => new RoomHeadChange(h.Room.RoomNid, h.Removed, h.Added, h.Room.SnapshotNid))]);
}
