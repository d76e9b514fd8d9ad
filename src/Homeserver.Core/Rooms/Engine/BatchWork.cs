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

    /// <summary>The events of this batch by ID, for later events of the batch that cite them.</summary>
    public Dictionary<string, NewEvent> EventsById { get; } = new(StringComparer.Ordinal);

    /// <summary>Events this batch has parsed, its own and stored ones, by ID.</summary>
    public Dictionary<string, ParsedEvent> Parsed { get; } = new(StringComparer.Ordinal);

    public List<CurrentStateChange> CurrentState { get; } = [];

    public List<MembershipChange> Memberships { get; } = [];

    public List<(string Destination, long EventNid)> Outbox { get; } = [];

    public List<PartialStateChange> PartialStates { get; } = [];

    public List<SnapshotFill> SnapshotFills { get; } = [];

    /// <summary>Rooms whose state changed with no timeline event, and at which position (not stored).</summary>
    public List<(long RoomNid, long StreamOrdering)> StateResets { get; } = [];

    /// <summary>Whether there is anything to commit.</summary>
    public bool HasWrites => Events.Count > 0 || PartialStates.Count > 0 || SnapshotFills.Count > 0 || CurrentState.Count > 0;

    /// <summary>Per room touched: the forward extremities it had in the database before this batch.</summary>
    public Dictionary<long, (LiveRoom Room, HashSet<long> Before, long? SnapshotBefore)> Heads { get; } = [];

    public HashSet<LiveRoom> TouchedRooms { get; } = [];

    public HashSet<string> MembershipTargets { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Destinations { get; } = new(StringComparer.Ordinal);

    public List<(WriteRequest Request, WriteResult Result)> Completed { get; } = [];

    public long NextRoomNid() => ++_roomNid;

    public long NextEventNid() => ++_eventNid;

    public long NextStateKeyNid() => ++_stateKeyNid;

    public long NextSnapshotNid() => ++_snapshotNid;

    public void Touch(LiveRoom room)
    {
        TouchedRooms.Add(room);
        Heads.TryAdd(room.RoomNid, (room, [.. room.Extremities.Select(x => x.EventNid)], room.SnapshotNid));
    }

    public void Add(NewEvent newEvent)
    {
        Events.Add(newEvent);
        EventsById[newEvent.EventId] = newEvent;
    }

    /// <summary>A separate work area that continues this one's numbering, for a write that must succeed whole or not at all.</summary>
    public BatchWork Fork() => new(Ids);

    public void Merge(BatchWork other)
    {
        (_roomNid, _eventNid, _stateKeyNid, _snapshotNid) = (other._roomNid, other._eventNid, other._stateKeyNid, other._snapshotNid);
        NewRooms.AddRange(other.NewRooms);
        NewStateKeys.AddRange(other.NewStateKeys);
        NewSnapshots.AddRange(other.NewSnapshots);
        foreach (var e in other.Events)
        {
            Add(e);
        }

        CurrentState.AddRange(other.CurrentState);
        Memberships.AddRange(other.Memberships);
        Outbox.AddRange(other.Outbox);
        PartialStates.AddRange(other.PartialStates);
        SnapshotFills.AddRange(other.SnapshotFills);
        StateResets.AddRange(other.StateResets);
        foreach (var (nid, head) in other.Heads)
        {
            Heads.TryAdd(nid, head);
        }

        TouchedRooms.UnionWith(other.TouchedRooms);
        MembershipTargets.UnionWith(other.MembershipTargets);
        Destinations.UnionWith(other.Destinations);
    }

    public PersistBatch ToBatch() => new(
        NewRooms,
        NewStateKeys,
        NewSnapshots,
        Events,
        CurrentState,
        Memberships,
        [.. Heads.Values.Select(h =>
        {
            var after = h.Room.Extremities.Select(x => x.EventNid).ToHashSet();
            return new RoomHeadChange(h.Room.RoomNid, [.. h.Before.Except(after)], [.. after.Except(h.Before)], h.Room.SnapshotNid, h.Room.SnapshotNid != h.SnapshotBefore);
        })],
        Outbox,
        PartialStates,
        SnapshotFills);
}
