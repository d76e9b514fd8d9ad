using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Rooms;

/// <summary>The state a snapshot stands for: its delta chain walked up to the full snapshot in one query.</summary>
internal static class SnapshotQuery
{
    /// <summary>The event of each state key in the snapshot, by state key (the nearest entry of the chain wins; removals drop out).</summary>
    public static async Task<IReadOnlyDictionary<long, long>> LoadAsync(HomeserverDbContext db, long snapshotNid, CancellationToken cancellationToken)
    {
        var entries = await db.Database.SqlQueryRaw<ChainEntry>(
                """
                WITH RECURSIVE chain(snapshot_nid, parent_snapshot_nid, distance) AS (
                    SELECT snapshot_nid, parent_snapshot_nid, 0 FROM state_snapshots WHERE snapshot_nid = {0}
                    UNION ALL
                    SELECT s.snapshot_nid, s.parent_snapshot_nid, c.distance + 1
                    FROM state_snapshots s JOIN chain c ON s.snapshot_nid = c.parent_snapshot_nid
                )
                SELECT e.state_key_nid AS "StateKeyNid", e.event_nid AS "EventNid", c.distance AS "Distance"
                FROM chain c JOIN state_snapshot_entries e ON e.snapshot_nid = c.snapshot_nid
                """, snapshotNid)
            .ToListAsync(cancellationToken);
        var state = new Dictionary<long, long>();
        foreach (var group in entries.GroupBy(e => e.StateKeyNid))
        {
            if (group.MinBy(e => e.Distance)!.EventNid is { } eventNid)
            {
                state[group.Key] = eventNid;
            }
        }

        return state;
    }

    private sealed record ChainEntry(long StateKeyNid, long? EventNid, int Distance);
}
