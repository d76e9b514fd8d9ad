using Homeserver.Core.Federation;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Storage.Rooms;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Federation;

internal sealed class FederationEventStore(HomeserverDbContext db) : IFederationEventStore
{
    public Task<PlacedEvent?> FindEventAsync(string eventId, CancellationToken cancellationToken) =>
        (from e in db.Events.AsNoTracking()
         where e.EventId == eventId && !e.IsOutlier && !e.IsRejected
         join r in db.Rooms on e.RoomNid equals r.RoomNid
         select new PlacedEvent(e.EventNid, e.RoomNid, r.RoomId, e.StateSnapshotNidBefore, e.RedactedJson ?? e.Json))
        .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<FederationEvent>> GetStateAsync(long snapshotNid, CancellationToken cancellationToken) =>
        await EventsAsync(await GetStateEventNidsAsync(snapshotNid, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<long>> GetStateEventNidsAsync(long snapshotNid, CancellationToken cancellationToken) =>
        [.. (await SnapshotQuery.LoadAsync(db, snapshotNid, cancellationToken)).Values];

    public async Task<IReadOnlyList<FederationEvent>> GetAuthChainAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken) =>
        await EventsAsync(await AuthChainQuery.LoadAsync(db, eventNids, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<long>> GetStateEventNidsWithoutMembersAsync(long snapshotNid, IReadOnlyCollection<string> keptMembers, CancellationToken cancellationToken)
    {
        var state = await SnapshotQuery.LoadAsync(db, snapshotNid, cancellationToken);
        var keyNids = state.Keys.ToList();
        var kept = keptMembers.ToList();
        var wanted = await db.StateKeys.AsNoTracking()
            .Where(k => keyNids.Contains(k.StateKeyNid) && (k.EventType != EventTypes.Member || kept.Contains(k.StateKey)))
            .Select(k => k.StateKeyNid)
            .ToListAsync(cancellationToken);
        return [.. wanted.Select(k => state[k])];
    }

    public async Task<IReadOnlyList<FederationEvent>> GetEventsAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken) =>
        await EventsAsync(eventNids, cancellationToken);

    public async Task<IReadOnlyList<string>> GetHeroesAsync(long roomNid, string exceptUserId, CancellationToken cancellationToken) =>
        await db.RoomMemberships.AsNoTracking()
            .Where(m => m.RoomNid == roomNid && m.UserId != exceptUserId && (m.Membership == Memberships.Join || m.Membership == Memberships.Invite))
            .OrderBy(m => m.StreamOrdering)
            .Select(m => m.UserId)
            .Take(5)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> GetJoinedServersAsync(string roomId, CancellationToken cancellationToken)
    {
        var users = await (
                from r in db.Rooms.AsNoTracking()
                where r.RoomId == roomId
                join m in db.RoomMemberships on r.RoomNid equals m.RoomNid
                where m.Membership == "join"
                select m.UserId)
            .ToListAsync(cancellationToken);
        // Until a partial state is complete, the servers the resident server named stand for the members left out.
        var named = await (
                from r in db.Rooms.AsNoTracking()
                where r.RoomId == roomId
                join p in db.PartialStateRooms on r.RoomNid equals p.RoomNid
                select p.Servers)
            .FirstOrDefaultAsync(cancellationToken);
        return [.. users.Select(u => u[(u.IndexOf(':', StringComparison.Ordinal) + 1)..])
            .Concat(named?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [])
            .Distinct(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<FederationEvent>> WalkBackAsync(IReadOnlyCollection<long> fromEventNids, IReadOnlyCollection<long> stopAtNids, bool includeStart,
        long minDepth, int limit, CancellationToken cancellationToken)
    {
        // Breadth first over prev edges, one query per step; the walk is bounded by the limit.
        var seen = new HashSet<long>(stopAtNids);
        var found = new List<long>();
        var frontier = fromEventNids.Where(seen.Add).ToList();
        if (includeStart)
        {
            found.AddRange(frontier);
        }

        while (frontier.Count > 0 && found.Count < limit)
        {
            var step = frontier;
            var prevs = await (
                    from edge in db.EventEdges.AsNoTracking()
                    where step.Contains(edge.EventNid)
                    join e in db.Events on edge.PrevEventNid equals e.EventNid
                    where e.Depth >= minDepth && !e.IsRejected
                    orderby e.Depth descending
                    select edge.PrevEventNid)
                .ToListAsync(cancellationToken);
            frontier = [.. prevs.Where(seen.Add)];
            found.AddRange(frontier.Take(limit - found.Count));
        }

        var events = await db.Events.AsNoTracking().Where(e => found.Contains(e.EventNid)).OrderByDescending(e => e.Depth)
            .Select(e => new FederationEvent(e.EventId, e.RedactedJson ?? e.Json)).ToListAsync(cancellationToken);
        return events;
    }

    public async Task<IReadOnlyList<string>> GetForwardExtremitiesAsync(long roomNid, CancellationToken cancellationToken) =>
        await (from x in db.ForwardExtremities.AsNoTracking()
               where x.RoomNid == roomNid
               join e in db.Events on x.EventNid equals e.EventNid
               select e.EventId).ToListAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<string, long>> FindEventNidsAsync(long roomNid, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken) =>
        (await FindInRoomAsync(roomNid, eventIds, cancellationToken)).ToDictionary(e => e.EventId, e => e.EventNid, StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<string, bool>> FindStoredEventsAsync(long roomNid, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken) =>
        (await FindInRoomAsync(roomNid, eventIds, cancellationToken)).ToDictionary(e => e.EventId, e => e.Placed, StringComparer.Ordinal);

    private async Task<IEnumerable<(string EventId, long EventNid, bool Placed)>> FindInRoomAsync(long roomNid, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        // The room is checked here rather than in SQL: PostgreSQL's generic plan for a prepared "room_nid = $1 AND
        // event_id = ANY ($2)" combines the room's index with the IDs' and so reads the whole room on every call.
        var ids = eventIds.ToList();
        var rows = await db.Events.AsNoTracking().Where(e => ids.Contains(e.EventId))
            .Select(e => new { e.EventId, e.EventNid, e.RoomNid, Placed = !e.IsOutlier && !e.IsRejected }).ToListAsync(cancellationToken);
        return rows.Where(e => e.RoomNid == roomNid).Select(e => (e.EventId, e.EventNid, e.Placed));
    }

    private async Task<IReadOnlyList<FederationEvent>> EventsAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken)
    {
        var nids = eventNids.ToList();
        return await db.Events.AsNoTracking().Where(e => nids.Contains(e.EventNid)).OrderBy(e => e.Depth)
            .Select(e => new FederationEvent(e.EventId, e.RedactedJson ?? e.Json)).ToListAsync(cancellationToken);
    }
}
