using Homeserver.Core.Federation;
using Homeserver.Storage.Rooms;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Federation;

internal sealed class FederationEventStore(HomeserverDbContext db) : IFederationEventStore
{
    public async Task<(string RoomId, long? SnapshotNidBefore, long EventNid)?> FindEventAsync(string eventId, CancellationToken cancellationToken)
    {
        var row = await (
                from e in db.Events.AsNoTracking()
                where e.EventId == eventId && !e.IsOutlier && !e.IsRejected
                join r in db.Rooms on e.RoomNid equals r.RoomNid
                select new { r.RoomId, e.StateSnapshotNidBefore, e.EventNid })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.RoomId, row.StateSnapshotNidBefore, row.EventNid);
    }

    public async Task<IReadOnlyList<string>> GetStateAsync(long snapshotNid, CancellationToken cancellationToken)
    {
        var eventNids = await GetStateEventNidsAsync(snapshotNid, cancellationToken);
        return await JsonOfAsync(eventNids, cancellationToken);
    }

    public async Task<IReadOnlyList<long>> GetStateEventNidsAsync(long snapshotNid, CancellationToken cancellationToken) =>
        [.. (await SnapshotQuery.LoadAsync(db, snapshotNid, cancellationToken)).Values];

    public async Task<IReadOnlyList<string>> GetAuthChainAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken) =>
        await JsonOfAsync(await AuthChainQuery.LoadAsync(db, eventNids, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<string>> GetJoinedServersAsync(string roomId, CancellationToken cancellationToken)
    {
        var users = await (
                from r in db.Rooms.AsNoTracking()
                where r.RoomId == roomId
                join m in db.RoomMemberships on r.RoomNid equals m.RoomNid
                where m.Membership == "join"
                select m.UserId)
            .ToListAsync(cancellationToken);
        return [.. users.Select(u => u[(u.IndexOf(':', StringComparison.Ordinal) + 1)..]).Distinct(StringComparer.Ordinal)];
    }

    private async Task<IReadOnlyList<string>> JsonOfAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken)
    {
        var nids = eventNids.ToList();
        // The redacted form where one exists: it carries the same signatures, and the original is no longer ours to give.
        return await db.Events.AsNoTracking().Where(e => nids.Contains(e.EventNid)).OrderBy(e => e.Depth)
            .Select(e => e.RedactedJson ?? e.Json).ToListAsync(cancellationToken);
    }
}
