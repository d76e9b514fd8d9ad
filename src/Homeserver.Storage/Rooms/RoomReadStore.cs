using Homeserver.Core.RoomDirectory;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Protocol.Authorization;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Rooms;

internal sealed class RoomReadStore(HomeserverDbContext db) : IRoomReadStore
{
    public Task<RoomSummary?> GetRoomAsync(string roomId, CancellationToken cancellationToken) =>
        db.Rooms.AsNoTracking().Where(r => r.RoomId == roomId)
            .Select(r => new RoomSummary(r.RoomNid, r.RoomId, r.RoomVersion, r.IsPublic, r.CurrentSnapshotNid))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<UserMembership>> GetMembershipsAsync(string userId, CancellationToken cancellationToken) =>
        await (from m in db.RoomMemberships.AsNoTracking()
               where m.UserId == userId
               join r in db.Rooms on m.RoomNid equals r.RoomNid
               join e in db.Events on m.EventNid equals e.EventNid
               select new UserMembership(m.RoomNid, r.RoomId, m.Membership, m.StreamOrdering, m.Forgotten, e.EventId))
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<long, long>> GetLatestStreamOrderingsAsync(IReadOnlyCollection<long> roomNids, CancellationToken cancellationToken) =>
        await db.Events.AsNoTracking()
            .Where(e => roomNids.Contains(e.RoomNid) && e.StreamOrdering != null)
            .GroupBy(e => e.RoomNid)
            .Select(g => new { RoomNid = g.Key, Head = g.Max(e => e.StreamOrdering)!.Value })
            .ToDictionaryAsync(g => g.RoomNid, g => g.Head, cancellationToken);

    public Task<bool> IsPartialStateAsync(long roomNid, CancellationToken cancellationToken) =>
        db.PartialStateRooms.AnyAsync(p => p.RoomNid == roomNid, cancellationToken);

    public Task<bool> IsJoinedByServerAsync(long roomNid, string serverName, CancellationToken cancellationToken)
    {
        // Localparts cannot hold a colon, so the suffix ":server" names exactly that server's users.
        var suffix = ":" + serverName;
        return db.RoomMemberships.AnyAsync(m => m.RoomNid == roomNid && m.Membership == Memberships.Join && m.UserId.EndsWith(suffix), cancellationToken);
    }

    public async Task<RoomEvent?> GetEventAsync(string eventId, CancellationToken cancellationToken) =>
        (await Select(db.Events.Where(e => e.EventId == eventId), withTransactions: true).ToListAsync(cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<RoomEvent>> GetCurrentStateAsync(long roomNid, CancellationToken cancellationToken) =>
        await Select(from s in db.CurrentState where s.RoomNid == roomNid join e in db.Events on s.EventNid equals e.EventNid select e)
            .ToListAsync(cancellationToken);

    public async Task<RoomEvent?> GetCurrentStateEventAsync(long roomNid, string type, string stateKey, CancellationToken cancellationToken) =>
        (await Select(
                from k in db.StateKeys
                where k.EventType == type && k.StateKey == stateKey
                join s in db.CurrentState on k.StateKeyNid equals s.StateKeyNid
                where s.RoomNid == roomNid
                join e in db.Events on s.EventNid equals e.EventNid
                select e)
            .ToListAsync(cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<RoomEvent>> GetStateAsync(long? snapshotNid, CancellationToken cancellationToken) =>
        snapshotNid is { } nid ? (await GetStatesAsync([nid], cancellationToken))[nid] : [];

    public async Task<IReadOnlyDictionary<long, IReadOnlyList<RoomEvent>>> GetStatesAsync(IReadOnlyCollection<long> snapshotNids, CancellationToken cancellationToken)
    {
        var states = await SnapshotQuery.LoadManyAsync(db, snapshotNids, cancellationToken);
        var eventNids = states.Values.SelectMany(s => s.Values).Distinct().ToList();
        if (eventNids.Count == 0)
        {
            // Most incremental syncs show no state at all.
            return states.ToDictionary(s => s.Key, _ => (IReadOnlyList<RoomEvent>)[]);
        }

        var events = (await Select(db.Events.Where(e => eventNids.Contains(e.EventNid))).ToListAsync(cancellationToken)).ToDictionary(e => e.EventNid);
        return states.ToDictionary(s => s.Key, s => (IReadOnlyList<RoomEvent>)[.. s.Value.Values.Where(events.ContainsKey).Select(nid => events[nid])]);
    }

    public async Task<IReadOnlyList<RoomEvent>> GetLatestTimelinesAsync(IReadOnlyCollection<long> roomNids, long after, long upTo, int limit, CancellationToken cancellationToken) =>
        await Select(db.Rooms.Where(r => roomNids.Contains(r.RoomNid))
                .SelectMany(r => db.Events
                    .Where(e => e.RoomNid == r.RoomNid && e.StreamOrdering > after && e.StreamOrdering <= upTo && !e.IsRejected && !e.IsSoftFailed)
                    .OrderByDescending(e => e.StreamOrdering)
                    .Take(limit)), withTransactions: true)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<RoomEvent>> GetTimelineAsync(long roomNid, long after, long upTo, int limit, bool newestFirst, CancellationToken cancellationToken)
    {
        var events = db.Events.Where(e => e.RoomNid == roomNid && e.StreamOrdering > after && e.StreamOrdering <= upTo && !e.IsRejected && !e.IsSoftFailed);
        events = newestFirst ? events.OrderByDescending(e => e.StreamOrdering) : events.OrderBy(e => e.StreamOrdering);
        return await Select(events.Take(limit), withTransactions: true).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RoomEvent>> GetStateHistoryAsync(long roomNid, IReadOnlyCollection<string> types, string? stateKey, CancellationToken cancellationToken)
    {
        var keys = db.StateKeys.Where(k => types.Contains(k.EventType) && (stateKey == null || k.StateKey == stateKey)).Select(k => (long?)k.StateKeyNid);
        return await Select(db.Events
                .Where(e => e.RoomNid == roomNid && e.StreamOrdering != null && keys.Contains(e.StateKeyNid))
                .OrderBy(e => e.StreamOrdering))
            .ToListAsync(cancellationToken);
    }

    public Task SetForgottenAsync(long roomNid, string userId, CancellationToken cancellationToken) =>
        db.RoomMemberships.Where(m => m.RoomNid == roomNid && m.UserId == userId)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Forgotten, true), cancellationToken);

    public async Task<(string EventId, long OriginServerTs)?> GetClosestEventAsync(long roomNid, long timestamp, bool forwards, CancellationToken cancellationToken)
    {
        var timeline = db.Events.AsNoTracking().Where(e => e.RoomNid == roomNid && e.StreamOrdering != null && !e.IsRejected && !e.IsSoftFailed);
        var closest = forwards
            ? timeline.Where(e => e.OriginServerTs >= timestamp).OrderBy(e => e.OriginServerTs).ThenBy(e => e.StreamOrdering)
            : timeline.Where(e => e.OriginServerTs <= timestamp).OrderByDescending(e => e.OriginServerTs).ThenByDescending(e => e.StreamOrdering);
        var found = await closest.Select(e => new { e.EventId, e.OriginServerTs }).FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.EventId, found.OriginServerTs);
    }

    public async Task<IReadOnlyList<RoomListing>> GetRoomListingsAsync(IReadOnlyCollection<string>? roomIds, IReadOnlyCollection<string> stateTypes, CancellationToken cancellationToken)
    {
        var listed = roomIds is null ? db.Rooms.Where(r => r.IsPublic) : db.Rooms.Where(r => roomIds.Contains(r.RoomId));
        var nids = listed.Select(r => r.RoomNid);
        var rooms = await listed.AsNoTracking().Select(r => new { r.RoomNid, r.RoomId }).ToListAsync(cancellationToken);
        if (rooms.Count == 0)
        {
            return [];
        }

        var counts = await db.RoomMemberships.AsNoTracking()
            .Where(m => m.Membership == Memberships.Join && nids.Contains(m.RoomNid))
            .GroupBy(m => m.RoomNid)
            .Select(g => new { RoomNid = g.Key, Count = g.Count() })
            .ToDictionaryAsync(c => c.RoomNid, c => c.Count, cancellationToken);
        var state = (await Select(
                    from k in db.StateKeys
                    where stateTypes.Contains(k.EventType)
                    join s in db.CurrentState on k.StateKeyNid equals s.StateKeyNid
                    where nids.Contains(s.RoomNid)
                    join e in db.Events on s.EventNid equals e.EventNid
                    select e)
                .ToListAsync(cancellationToken))
            .ToLookup(e => e.RoomId, StringComparer.Ordinal);
        return [.. rooms.Select(r => new RoomListing(r.RoomId, counts.GetValueOrDefault(r.RoomNid), [.. state[r.RoomId]]))];
    }

    /// <summary>
    /// The read side's form of events; <paramref name="withTransactions"/> for timelines, whose events carry the
    /// transaction ID their sender's device chose (shown to that device alone).
    /// </summary>
    private IQueryable<RoomEvent> Select(IQueryable<EventEntity> events, bool withTransactions = false)
    {
        var transactions = withTransactions ? db.TransactionIds : db.TransactionIds.Where(_ => false);
        return from e in events.AsNoTracking()
            join r in db.Rooms on e.RoomNid equals r.RoomNid
            join k in db.StateKeys on e.StateKeyNid equals k.StateKeyNid into keys
            from k in keys.DefaultIfEmpty()
            join redaction in db.Events on e.RedactedByEventNid equals redaction.EventNid into redactions
            from redaction in redactions.DefaultIfEmpty()
            join t in transactions on e.EventId equals t.EventId into sent
            from t in sent.DefaultIfEmpty()
            select new RoomEvent(
                e.EventNid,
                e.EventId,
                r.RoomId,
                e.StreamOrdering ?? 0,
                e.Type,
                k == null ? null : k.StateKey,
                e.Sender,
                e.OriginServerTs,
                e.RedactedJson ?? e.Json,
                redaction == null ? null : redaction.EventId,
                e.StateSnapshotNidBefore)
            {
                Transaction = t == null ? null : new TransactionKey(t.UserId, t.DeviceId, t.TransactionId),
            };
    }
}
