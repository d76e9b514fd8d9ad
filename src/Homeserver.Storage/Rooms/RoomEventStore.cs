using Homeserver.Core.Rooms.Engine;
using Homeserver.Storage.Entities;
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
        return new LoadedRoom(room.RoomNid, room.RoomId, room.RoomVersion, room.CurrentSnapshotNid, snapshot?.DeltaDepth ?? 0, snapshot?.StateHash,
            [.. state.Select(s => (s.StateKeyNid, new StoredEvent(s.EventNid, s.EventId, s.Depth, s.Json)))],
            extremities);
    }

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

    public async Task PersistAsync(PersistBatch batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
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

        var currentState = new Dictionary<(long, long), CurrentStateEntity>();
        var memberships = new Dictionary<(long, string), RoomMembershipEntity>();
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
                Json = e.Json,
            });
            db.EventEdges.AddRange(e.PrevEventNids.Select(p => new EventEdgeEntity { EventNid = e.EventNid, PrevEventNid = p }));
            db.EventAuthEdges.AddRange(e.AuthEventNids.Select(a => new EventAuthEdgeEntity { EventNid = e.EventNid, AuthEventNid = a }));
            if (e.StateKeyNid is { } stateKeyNid)
            {
                SetCurrentState(db, currentState, e, stateKeyNid);
            }

            if (e.Membership is not null && e.StateKey is not null)
            {
                SetMembership(db, memberships, e);
            }

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
        await transaction.CommitAsync(cancellationToken);
    }

    private static void SetCurrentState(HomeserverDbContext db, Dictionary<(long, long), CurrentStateEntity> tracked, NewEvent e, long stateKeyNid)
    {
        if (tracked.TryGetValue((e.RoomNid, stateKeyNid), out var row))
        {
            row.EventNid = e.EventNid;
            return;
        }

        row = new CurrentStateEntity { RoomNid = e.RoomNid, StateKeyNid = stateKeyNid, EventNid = e.EventNid };
        tracked[(e.RoomNid, stateKeyNid)] = row;
        if (e.ReplacesCurrentState)
        {
            db.CurrentState.Attach(row);
            db.Entry(row).Property(r => r.EventNid).IsModified = true;
        }
        else
        {
            db.CurrentState.Add(row);
        }
    }

    private static void SetMembership(HomeserverDbContext db, Dictionary<(long, string), RoomMembershipEntity> tracked, NewEvent e)
    {
        if (tracked.TryGetValue((e.RoomNid, e.StateKey!), out var row))
        {
            (row.Membership, row.EventNid, row.StreamOrdering) = (e.Membership!, e.EventNid, e.StreamOrdering);
            return;
        }

        row = new RoomMembershipEntity { RoomNid = e.RoomNid, UserId = e.StateKey!, Membership = e.Membership!, EventNid = e.EventNid, StreamOrdering = e.StreamOrdering };
        tracked[(e.RoomNid, e.StateKey!)] = row;
        if (e.ReplacesCurrentState)
        {
            db.RoomMemberships.Update(row);
        }
        else
        {
            db.RoomMemberships.Add(row);
        }
    }
}
