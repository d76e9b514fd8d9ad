using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Rooms;

/// <summary>The state a snapshot stands for: its delta chain walked up to the full snapshot in one query.</summary>
internal static class SnapshotQuery
{
    /// <summary>The event of each state key in the snapshot, by state key (the nearest entry of the chain wins; removals drop out).</summary>
    public static async Task<IReadOnlyDictionary<long, long>> LoadAsync(HomeserverDbContext db, long snapshotNid, CancellationToken cancellationToken) =>
        (await LoadManyAsync(db, [snapshotNid], cancellationToken))[snapshotNid];

    /// <summary>The state of each of many snapshots, by snapshot, in one query.</summary>
    public static async Task<IReadOnlyDictionary<long, IReadOnlyDictionary<long, long>>> LoadManyAsync(HomeserverDbContext db, IReadOnlyCollection<long> snapshotNids, CancellationToken cancellationToken)
    {
        if (snapshotNids.Count == 0)
        {
            return new Dictionary<long, IReadOnlyDictionary<long, long>>();
        }

        // Numbers of our own, written into the query: both databases take a literal list, neither the other's arrays.
        var roots = string.Join(",", snapshotNids.Distinct().Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var sql = """
            WITH RECURSIVE chain(root, snapshot_nid, parent_snapshot_nid, distance) AS (
                SELECT snapshot_nid, snapshot_nid, parent_snapshot_nid, 0 FROM state_snapshots WHERE snapshot_nid IN (
            """ + roots + """
            )
                UNION ALL
                SELECT c.root, s.snapshot_nid, s.parent_snapshot_nid, c.distance + 1
                FROM state_snapshots s JOIN chain c ON s.snapshot_nid = c.parent_snapshot_nid
            )
            SELECT c.root AS "Root", e.state_key_nid AS "StateKeyNid", e.event_nid AS "EventNid", c.distance AS "Distance"
            FROM chain c JOIN state_snapshot_entries e ON e.snapshot_nid = c.snapshot_nid
            """;
        var entries = await db.Database.SqlQueryRaw<RootedChainEntry>(sql).ToListAsync(cancellationToken);
        var states = snapshotNids.Distinct().ToDictionary(n => n, _ => new Dictionary<long, long>());
        foreach (var group in entries.GroupBy(e => (e.Root, e.StateKeyNid)))
        {
            if (group.MinBy(e => e.Distance)!.EventNid is { } eventNid)
            {
                states[group.Key.Root][group.Key.StateKeyNid] = eventNid;
            }
        }

        return states.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<long, long>)s.Value);
    }

    private sealed record RootedChainEntry(long Root, long StateKeyNid, long? EventNid, int Distance);
}
