using Homeserver.Core.Rooms.Engine;
using Homeserver.Protocol.Authorization;
using Homeserver.Storage.Entities;
using Homeserver.Storage.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Homeserver.Storage.Rooms;

/// <summary>
/// The room engine's event store. A singleton like the engine's writer; each call takes a context of its own.
/// </summary>
internal sealed class RoomEventStore(IServiceScopeFactory scopes) : IRoomEventStore
{
    public async Task<EngineIds> LoadIdsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        return new EngineIds(
            await db.Rooms.MaxAsync(r => (long?)r.RoomNid, cancellationToken) ?? 0,
            await db.Events.MaxAsync(e => (long?)e.EventNid, cancellationToken) ?? 0,
            await db.StateKeys.MaxAsync(k => (long?)k.StateKeyNid, cancellationToken) ?? 0,
            await db.StateSnapshots.MaxAsync(s => (long?)s.SnapshotNid, cancellationToken) ?? 0);
    }

    public async Task<long?> LoadLowestStreamOrderingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        return await db.Events.MinAsync(e => e.StreamOrdering, cancellationToken);
    }

    public async Task<IReadOnlyList<(string TransactionId, string EventId)>> LoadRecentTransactionsAsync(string userId, string deviceId, int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        var rows = await (from t in db.TransactionIds.AsNoTracking()
                          where t.UserId == userId && t.DeviceId == deviceId
                          join e in db.Events on t.EventId equals e.EventId
                          orderby e.EventNid descending
                          select new { t.TransactionId, t.EventId })
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.TransactionId, r.EventId))];
    }

    public async Task<LoadedRoom?> LoadRoomAsync(string roomId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        var room = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.RoomId == roomId, cancellationToken);
        if (room is null)
        {
            return null;
        }

        var state = await (
                from s in db.CurrentState.AsNoTracking()
                where s.RoomNid == room.RoomNid
                join e in db.Events on s.EventNid equals e.EventNid
                select new { s.StateKeyNid, e.EventNid, e.EventId, e.Depth, e.Json })
            .ToListAsync(cancellationToken);
        var extremities = await (
                from x in db.ForwardExtremities.AsNoTracking()
                where x.RoomNid == room.RoomNid
                join e in db.Events on x.EventNid equals e.EventNid
                select new StoredEvent(e.EventNid, e.EventId, e.Depth, e.Json))
            .ToListAsync(cancellationToken);
        var snapshot = room.CurrentSnapshotNid is { } nid
            ? await db.StateSnapshots.AsNoTracking().FirstOrDefaultAsync(s => s.SnapshotNid == nid, cancellationToken)
            : null;
        var partial = await db.PartialStateRooms.AsNoTracking().FirstOrDefaultAsync(p => p.RoomNid == room.RoomNid, cancellationToken);
        return new LoadedRoom(room.RoomNid, room.RoomId, room.RoomVersion, room.CurrentSnapshotNid, snapshot?.DeltaDepth ?? 0, snapshot?.StateHash,
            [.. state.Select(s => (s.StateKeyNid, new StoredEvent(s.EventNid, s.EventId, s.Depth, s.Json)))],
            extremities, partial is null ? null : ToPartialState(partial));
    }

    public async Task<IReadOnlyList<(long SnapshotNid, IReadOnlySet<long> StateKeyNids)>> LoadCompleteSnapshotKeysAsync(long roomNid, long fromSnapshotNid, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        var rows = await (
                from s in db.StateSnapshots.AsNoTracking()
                where s.RoomNid == roomNid && s.SnapshotNid >= fromSnapshotNid && s.ParentSnapshotNid == null
                join x in db.StateSnapshotEntries on s.SnapshotNid equals x.SnapshotNid
                select new { s.SnapshotNid, x.StateKeyNid })
            .ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => r.SnapshotNid).Select(g => (g.Key, (IReadOnlySet<long>)g.Select(r => r.StateKeyNid).ToHashSet()))];
    }

    public async Task<IReadOnlyList<(string RoomId, string RoomVersion, PartialState State)>> LoadPartialStateRoomsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        var rows = await (
                from p in db.PartialStateRooms.AsNoTracking()
                join r in db.Rooms on p.RoomNid equals r.RoomNid
                select new { r.RoomId, r.RoomVersion, Partial = p })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.RoomId, r.RoomVersion, ToPartialState(r.Partial)))];
    }

    private static PartialState ToPartialState(PartialStateRoomEntity row) =>
        new(row.JoinEventId, row.Servers.Split('\n', StringSplitOptions.RemoveEmptyEntries), row.FirstSnapshotNid);

    public async Task<IReadOnlyDictionary<(string Type, string StateKey), long>> FindStateKeysAsync(
        IReadOnlyCollection<(string Type, string StateKey)> keys, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        var stateKeys = keys.Select(k => k.StateKey).Distinct().ToList();
        var wanted = keys.ToHashSet();
        var rows = await db.StateKeys.AsNoTracking().Where(k => stateKeys.Contains(k.StateKey)).ToListAsync(cancellationToken);
        return rows.Where(r => wanted.Contains((r.EventType, r.StateKey))).ToDictionary(r => (r.EventType, r.StateKey), r => r.StateKeyNid);
    }

    public async Task<(long RoomNid, StoredEvent Event)?> LoadEventAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        var row = await db.Events.AsNoTracking().Where(e => e.EventId == eventId)
            .Select(e => new { e.RoomNid, e.EventNid, e.Depth, e.Json })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.RoomNid, new StoredEvent(row.EventNid, eventId, row.Depth, row.Json));
    }

    public async Task<IReadOnlyDictionary<string, KnownEvent>> LoadEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
        {
            return new Dictionary<string, KnownEvent>();
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        var ids = eventIds.ToList();
        var rows = await db.Events.AsNoTracking().Where(e => ids.Contains(e.EventId) && !e.IsRejected).ToListAsync(cancellationToken);
        return rows.ToDictionary(e => e.EventId, ToKnown, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<KnownEvent>> LoadAuthChainAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        var chain = await AuthChainQuery.LoadAsync(db, eventNids, cancellationToken);
        var rows = await db.Events.AsNoTracking().Where(e => chain.Contains(e.EventNid)).ToListAsync(cancellationToken);
        return [.. rows.Select(ToKnown)];
    }

    public async Task<IReadOnlyList<(long StateKeyNid, StoredEvent Event)>> LoadSnapshotAsync(long snapshotNid, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        var state = await SnapshotQuery.LoadAsync(db, snapshotNid, cancellationToken);
        var eventNids = state.Values.ToList();
        var events = await db.Events.AsNoTracking().Where(e => eventNids.Contains(e.EventNid))
            .Select(e => new StoredEvent(e.EventNid, e.EventId, e.Depth, e.Json))
            .ToDictionaryAsync(e => e.EventNid, cancellationToken);
        return [.. state.Select(s => (s.Key, events[s.Value]))];
    }

    public async Task PersistAsync(PersistBatch batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        // A failed batch is rolled back whole, so a savepoint around SaveChanges would only cost two round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var newRooms = new Dictionary<long, RoomEntity>();
        foreach (var (roomNid, roomId, version) in batch.NewRooms)
        {
            var room = new RoomEntity { RoomNid = roomNid, RoomId = roomId, RoomVersion = version };
            newRooms[roomNid] = room;
            db.Rooms.Add(room);
        }

        db.StateKeys.AddRange(batch.NewStateKeys.Select(k => new StateKeyEntity { StateKeyNid = k.StateKeyNid, EventType = k.Type, StateKey = k.StateKey }));
        foreach (var snapshot in batch.NewSnapshots)
        {
            db.StateSnapshots.Add(new StateSnapshotEntity
            {
                SnapshotNid = snapshot.SnapshotNid,
                RoomNid = snapshot.RoomNid,
                ParentSnapshotNid = snapshot.ParentSnapshotNid,
                DeltaDepth = snapshot.DeltaDepth,
                StateHash = snapshot.StateHash,
            });
            db.StateSnapshotEntries.AddRange(snapshot.Entries.Select(x => new StateSnapshotEntryEntity { SnapshotNid = snapshot.SnapshotNid, StateKeyNid = x.StateKeyNid, EventNid = x.EventNid }));
        }

        foreach (var e in batch.Events)
        {
            db.Events.Add(new EventEntity
            {
                EventNid = e.EventNid,
                EventId = e.EventId,
                RoomNid = e.RoomNid,
                Type = e.Type,
                StateKeyNid = e.StateKeyNid,
                Sender = e.Sender,
                Depth = e.Depth,
                OriginServerTs = e.OriginServerTs,
                StreamOrdering = e.StreamOrdering,
                StateSnapshotNidBefore = e.SnapshotNidBefore,
                IsOutlier = e.IsOutlier,
                IsSoftFailed = e.IsSoftFailed,
                Json = e.Json,
            });
            db.EventEdges.AddRange(e.PrevEventNids.Select(p => new EventEdgeEntity { EventNid = e.EventNid, PrevEventNid = p }));
            db.EventAuthEdges.AddRange(e.AuthEventNids.Select(a => new EventAuthEdgeEntity { EventNid = e.EventNid, AuthEventNid = a }));
            if (e.Transaction is { } txn)
            {
                db.TransactionIds.Add(new TransactionIdEntity { UserId = txn.UserId, DeviceId = txn.DeviceId, TransactionId = txn.TransactionId, EventId = e.EventId });
            }

            if (e.Redaction is { } redaction)
            {
                var target = new EventEntity { EventNid = redaction.EventNid, EventId = "", Type = "", Sender = "", Json = "" };
                db.Events.Attach(target);
                target.RedactedByEventNid = e.EventNid;
                target.RedactedJson = redaction.RedactedJson;
                var entry = db.Entry(target);
                entry.Property(t => t.RedactedByEventNid).IsModified = true;
                entry.Property(t => t.RedactedJson).IsModified = true;
            }
        }

        db.StateSnapshotEntries.AddRange(batch.SnapshotFills.SelectMany(f => f.Entries.Select(x =>
            new StateSnapshotEntryEntity { SnapshotNid = f.SnapshotNid, StateKeyNid = x.StateKeyNid, EventNid = x.EventNid })));
        await WritePartialStatesAsync(db, batch.PartialStates, cancellationToken);
        WriteCurrentState(db, batch.CurrentState);
        await WriteMembershipsAsync(db, batch.Memberships, cancellationToken);
        db.FederationOutbox.AddRange(batch.Outbox.Select(o => new FederationOutboxEntity { Destination = o.Destination, EventNid = o.EventNid }));

        foreach (var head in batch.Heads)
        {
            foreach (var removed in head.RemovedExtremities)
            {
                db.ForwardExtremities.Remove(new ForwardExtremityEntity { RoomNid = head.RoomNid, EventNid = removed });
            }

            db.ForwardExtremities.AddRange(head.AddedExtremities.Select(a => new ForwardExtremityEntity { RoomNid = head.RoomNid, EventNid = a }));
            if (newRooms.TryGetValue(head.RoomNid, out var newRoom))
            {
                newRoom.CurrentSnapshotNid = head.CurrentSnapshotNid;
            }
            else
            {
                var room = new RoomEntity { RoomNid = head.RoomNid, RoomId = "", RoomVersion = "" };
                db.Rooms.Attach(room);
                room.CurrentSnapshotNid = head.CurrentSnapshotNid;
                db.Entry(room).Property(r => r.CurrentSnapshotNid).IsModified = true;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await ForgetUnsharedDeviceListsAsync(db, batch.Memberships, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A remote user's device list is kept only while they share a room with a local user (IRemoteDeviceStore), since
    /// their updates stop coming after that. This batch's departures may end it for those who left and for the other
    /// members of the rooms they left.
    /// </summary>
    private static async Task ForgetUnsharedDeviceListsAsync(HomeserverDbContext db, IReadOnlyList<MembershipChange> changes, CancellationToken cancellationToken)
    {
        var departures = changes.Where(c => c.Membership is Memberships.Leave or Memberships.Ban).ToList();
        if (departures.Count == 0)
        {
            return;
        }

        var users = departures.Select(d => d.UserId).Distinct().ToList();
        var rooms = departures.Select(d => d.RoomNid).Distinct().ToList();
        var stillShared = LocalRoomSharing.JoinsSharedWithLocalUsers(db);
        await db.RemoteDeviceLists
            .Where(l => users.Contains(l.UserId) || db.RoomMemberships.Any(m => m.UserId == l.UserId && rooms.Contains(m.RoomNid)))
            .Where(l => !stillShared.Any(m => m.UserId == l.UserId))
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static KnownEvent ToKnown(EventEntity e) =>
        new(e.RoomNid, new StoredEvent(e.EventNid, e.EventId, e.Depth, e.Json), e.StateKeyNid, e.StateSnapshotNidBefore, e.IsOutlier, e.IsSoftFailed);

    /// <summary>Of several changes to one room in a batch, the last counts: the room's row is replaced by it, or deleted.</summary>
    private static async Task WritePartialStatesAsync(HomeserverDbContext db, IReadOnlyList<PartialStateChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var roomNids = changes.Select(c => c.RoomNid).Distinct().ToList();
        await db.PartialStateRooms.Where(p => roomNids.Contains(p.RoomNid)).ExecuteDeleteAsync(cancellationToken);
        foreach (var group in changes.GroupBy(c => c.RoomNid))
        {
            if (group.Last().State is { } state)
            {
                db.PartialStateRooms.Add(new PartialStateRoomEntity
                {
                    RoomNid = group.Key, JoinEventId = state.JoinEventId, Servers = string.Join('\n', state.Servers), FirstSnapshotNid = state.FirstSnapshotNid,
                });
            }
        }
    }

    /// <summary>
    /// Folds the batch's changes per key: the first change says whether the row existed before the batch, the last
    /// what it holds after it.
    /// </summary>
    private static void WriteCurrentState(HomeserverDbContext db, IReadOnlyList<CurrentStateChange> changes)
    {
        var folded = new Dictionary<(long, long), (bool Existed, long? EventNid)>();
        foreach (var change in changes)
        {
            var key = (change.RoomNid, change.StateKeyNid);
            folded[key] = (folded.TryGetValue(key, out var earlier) ? earlier.Existed : change.Replaces, change.EventNid);
        }

        foreach (var ((roomNid, stateKeyNid), (existed, eventNid)) in folded)
        {
            var row = new CurrentStateEntity { RoomNid = roomNid, StateKeyNid = stateKeyNid, EventNid = eventNid ?? 0 };
            switch (existed, eventNid)
            {
                case (false, not null):
                    db.CurrentState.Add(row);
                    break;
                case (true, not null):
                    db.CurrentState.Attach(row);
                    db.Entry(row).Property(r => r.EventNid).IsModified = true;
                    break;
                case (true, null):
                    db.CurrentState.Remove(row);
                    break;
            }
        }
    }

    private static async Task WriteMembershipsAsync(HomeserverDbContext db, IReadOnlyList<MembershipChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var folded = new Dictionary<(long RoomNid, string UserId), MembershipChange>();
        foreach (var change in changes)
        {
            folded[(change.RoomNid, change.UserId)] = change;
        }

        // One query for the batch: a superset of the rows that exist (every pair of its rooms and users), narrowed here.
        var roomNids = folded.Keys.Select(k => k.RoomNid).Distinct().ToList();
        var userIds = folded.Keys.Select(k => k.UserId).Distinct().ToList();
        var existing = (await db.RoomMemberships.AsNoTracking()
                .Where(m => roomNids.Contains(m.RoomNid) && userIds.Contains(m.UserId))
                .Select(m => new { m.RoomNid, m.UserId })
                .ToListAsync(cancellationToken))
            .Select(m => (m.RoomNid, m.UserId))
            .ToHashSet();
        foreach (var last in folded.Values)
        {
            var existed = existing.Contains((last.RoomNid, last.UserId));
            var row = new RoomMembershipEntity
            {
                RoomNid = last.RoomNid, UserId = last.UserId, Membership = last.Membership, EventNid = last.EventNid, StreamOrdering = last.StreamOrdering,
            };
            if (existed)
            {
                // Update writes every column, so a new membership also clears Forgotten.
                db.RoomMemberships.Update(row);
            }
            else
            {
                db.RoomMemberships.Add(row);
            }
        }
    }
}
