using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Rooms;

/// <summary>The auth chains of events: <c>auth_events</c> followed transitively, in one recursive query.</summary>
internal static class AuthChainQuery
{
    /// <summary>The numeric IDs of the union of the chains, the starting events excluded (unless one is in another's chain).</summary>
    public static async Task<List<long>> LoadAsync(HomeserverDbContext db, IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken)
    {
        if (eventNids.Count == 0)
        {
            return [];
        }

        // Numbers only, so they can stand in the text; UNION (not UNION ALL) ends the walk where the chains meet.
        var start = string.Join(",", eventNids.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
#pragma warning disable EF1002 // The text holds only numbers formatted here; SQLite has no array parameters.
        return await db.Database.SqlQueryRaw<long>(
                $"""
                WITH RECURSIVE chain(event_nid) AS (
                    SELECT auth_event_nid FROM event_auth_edges WHERE event_nid IN ({start})
                    UNION
                    SELECT a.auth_event_nid FROM event_auth_edges a JOIN chain c ON a.event_nid = c.event_nid
                )
                SELECT event_nid AS "Value" FROM chain
                """)
            .ToListAsync(cancellationToken);
#pragma warning restore EF1002
    }
}
