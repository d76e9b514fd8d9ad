using Homeserver.Core.Rooms.Engine;

namespace Homeserver.Storage.Rooms;

/// <summary>
/// The statements one commit of the room engine makes: rows are appended, and the few that change (a room's head,
/// its current state, memberships, partial states) are upserted or deleted by key, so that nothing needs reading
/// first. Within a batch the last change to a key counts.
/// </summary>
internal static class PersistBatchStatements
{
    public static void Add(StatementBatch statements, PersistBatch batch)
    {
        AddRooms(statements, batch);
        statements.Insert("state_keys", ["state_key_nid", "event_type", "state_key"], batch.NewStateKeys, k => [k.StateKeyNid, k.Type, k.StateKey]);
        statements.Insert("state_snapshots", ["snapshot_nid", "room_nid", "parent_snapshot_nid", "delta_depth", "state_hash"], batch.NewSnapshots,
            s => [s.SnapshotNid, s.RoomNid, s.ParentSnapshotNid, s.DeltaDepth, s.StateHash]);
        statements.Insert("state_snapshot_entries", ["snapshot_nid", "state_key_nid", "event_nid"],
            batch.NewSnapshots.SelectMany(s => s.Entries.Select(x => (s.SnapshotNid, x.StateKeyNid, EventNid: x.EventNid)))
                .Concat(batch.SnapshotFills.SelectMany(f => f.Entries.Select(x => (f.SnapshotNid, x.StateKeyNid, EventNid: (long?)x.EventNid)))),
            x => [x.SnapshotNid, x.StateKeyNid, x.EventNid]);
        AddEvents(statements, batch.Events);
        AddCurrentState(statements, batch.CurrentState);
        AddMemberships(statements, batch.Memberships);
        AddPartialStates(statements, batch.PartialStates);
        statements.Insert("federation_outbox", ["destination", "event_nid"], batch.Outbox, o => [o.Destination, o.EventNid]);
    }

    /// <summary>New rooms, and each moved head: the room's current snapshot and its forward extremities.</summary>
    private static void AddRooms(StatementBatch statements, PersistBatch batch)
    {
        var snapshots = batch.Heads.ToDictionary(h => h.RoomNid, h => h.CurrentSnapshotNid);
        var newRooms = batch.NewRooms.Select(r => r.RoomNid).ToHashSet();
        statements.Insert("rooms", ["room_nid", "room_id", "room_version", "current_snapshot_nid", "is_public"], batch.NewRooms,
            r => [r.RoomNid, r.RoomId, r.RoomVersion, snapshots.GetValueOrDefault(r.RoomNid), false]);
        foreach (var head in batch.Heads)
        {
            if (head.RemovedExtremities.Count > 0)
            {
                statements.Execute($"DELETE FROM forward_extremities WHERE room_nid = {{0}} AND event_nid IN ({StatementBatch.List(1, head.RemovedExtremities.Count)})",
                    [head.RoomNid, .. head.RemovedExtremities.Cast<object?>()]);
            }

            if (head.SnapshotMoved && !newRooms.Contains(head.RoomNid))
            {
                statements.Execute("UPDATE rooms SET current_snapshot_nid = {0} WHERE room_nid = {1}", head.CurrentSnapshotNid, head.RoomNid);
            }
        }

        statements.Insert("forward_extremities", ["room_nid", "event_nid"], batch.Heads.SelectMany(h => h.AddedExtremities.Select(a => (h.RoomNid, EventNid: a))),
            x => [x.RoomNid, x.EventNid]);
    }

    private static void AddEvents(StatementBatch statements, IReadOnlyList<NewEvent> events)
    {
        statements.Insert("events",
            ["event_nid", "event_id", "room_nid", "type", "state_key_nid", "sender", "depth", "origin_server_ts", "stream_ordering",
             "state_snapshot_nid_before", "is_outlier", "is_rejected", "is_soft_failed", "json"],
            events,
            e => [e.EventNid, e.EventId, e.RoomNid, e.Type, e.StateKeyNid, e.Sender, e.Depth, e.OriginServerTs, e.StreamOrdering,
                  e.SnapshotNidBefore, e.IsOutlier, false, e.IsSoftFailed, e.Json]);
        statements.Insert("event_edges", ["event_nid", "prev_event_nid"], events.SelectMany(e => e.PrevEventNids.Select(p => (e.EventNid, Prev: p))),
            x => [x.EventNid, x.Prev]);
        statements.Insert("event_auth_edges", ["event_nid", "auth_event_nid"], events.SelectMany(e => e.AuthEventNids.Select(a => (e.EventNid, Auth: a))),
            x => [x.EventNid, x.Auth]);
        statements.Insert("transaction_ids", ["user_id", "device_id", "transaction_id", "event_id"],
            events.Where(e => e.Transaction is not null).Select(e => (Key: e.Transaction!.Value, e.EventId)),
            t => [t.Key.UserId, t.Key.DeviceId, t.Key.TransactionId, t.EventId]);
        foreach (var e in events)
        {
            if (e.Redaction is { } redaction)
            {
                statements.Execute("UPDATE events SET redacted_by_event_nid = {0}, redacted_json = {1} WHERE event_nid = {2}",
                    e.EventNid, redaction.RedactedJson, redaction.EventNid);
            }
        }
    }

    private static void AddCurrentState(StatementBatch statements, IReadOnlyList<CurrentStateChange> changes)
    {
        var last = new Dictionary<(long RoomNid, long StateKeyNid), long?>();
        foreach (var change in changes)
        {
            last[(change.RoomNid, change.StateKeyNid)] = change.EventNid;
        }

        statements.Insert("current_state", ["room_nid", "state_key_nid", "event_nid"], last.Where(x => x.Value is not null),
            x => [x.Key.RoomNid, x.Key.StateKeyNid, x.Value],
            onConflict: "(room_nid, state_key_nid) DO UPDATE SET event_nid = excluded.event_nid");
        foreach (var ((roomNid, stateKeyNid), _) in last.Where(x => x.Value is null))
        {
            statements.Execute("DELETE FROM current_state WHERE room_nid = {0} AND state_key_nid = {1}", roomNid, stateKeyNid);
        }
    }

    private static void AddMemberships(StatementBatch statements, IReadOnlyList<MembershipChange> changes)
    {
        var last = new Dictionary<(long RoomNid, string UserId), MembershipChange>();
        foreach (var change in changes)
        {
            last[(change.RoomNid, change.UserId)] = change;
        }

        // A new membership also clears a /forget.
        statements.Insert("room_memberships", ["room_nid", "user_id", "membership", "event_nid", "stream_ordering", "forgotten"], last.Values,
            m => [m.RoomNid, m.UserId, m.Membership, m.EventNid, m.StreamOrdering, false],
            onConflict: "(room_nid, user_id) DO UPDATE SET membership = excluded.membership, event_nid = excluded.event_nid, "
                + "stream_ordering = excluded.stream_ordering, forgotten = excluded.forgotten");
    }

    private static void AddPartialStates(StatementBatch statements, IReadOnlyList<PartialStateChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var last = new Dictionary<long, PartialState?>();
        foreach (var change in changes)
        {
            last[change.RoomNid] = change.State;
        }

        statements.Execute($"DELETE FROM partial_state_rooms WHERE room_nid IN ({StatementBatch.List(0, last.Count)})", [.. last.Keys.Cast<object?>()]);
        statements.Insert("partial_state_rooms", ["room_nid", "join_event_id", "servers", "first_snapshot_nid"], last.Where(x => x.Value is not null),
            x => [x.Key, x.Value!.JoinEventId, string.Join('\n', x.Value.Servers), x.Value.FirstSnapshotNid]);
    }
}
