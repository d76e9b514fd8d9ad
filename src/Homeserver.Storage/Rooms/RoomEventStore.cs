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
        var statements = new StatementBatch(db);
        PersistBatchStatements.Add(statements, batch);
        var departures = batch.Memberships.Where(c => c.Membership is Memberships.Leave or Memberships.Ban).ToList();
        if (departures.Count == 0 && statements.IsAtomicAlone)
        {
            // One round trip, the commit included: most commits are a single message.
            await statements.ExecuteAsync(cancellationToken);
            return;
        }

        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await statements.ExecuteAsync(cancellationToken);
        await ForgetUnsharedDeviceListsAsync(db, departures, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A remote user's device list is kept only while they share a room with a local user (IRemoteDeviceStore), since
    /// their updates stop coming after that. This batch's departures may end it for those who left and for the other
    /// members of the rooms they left.
    /// </summary>
    private static async Task ForgetUnsharedDeviceListsAsync(HomeserverDbContext db, List<MembershipChange> departures, CancellationToken cancellationToken)
    {
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
}
