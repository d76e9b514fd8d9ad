using Homeserver.Core.Sync.Filters;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Sync;

internal sealed class FilterStore(HomeserverDbContext db) : IFilterStore
{
    public async Task<long> AddFilterAsync(string userId, string filterJson, CancellationToken cancellationToken)
    {
        // The next ID is allocated in the insert itself; two uploads racing for one ID collide on the key and retry.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await db.Database.SqlQuery<long>(
                    $"INSERT INTO filters (user_id, filter_id, json) SELECT {userId}, COALESCE(MAX(filter_id), -1) + 1, {filterJson} FROM filters WHERE user_id = {userId} RETURNING filter_id AS \"Value\"")
                    .ToListAsync(cancellationToken)).Single();
            }
            catch (Exception e) when (attempt < 5 && UniqueViolation.IsProviderException(e))
            {
                // Lost the race for this ID; the next attempt reads the new maximum.
            }
        }
    }

    public Task<string?> GetFilterAsync(string userId, long filterId, CancellationToken cancellationToken) =>
        db.Filters.AsNoTracking().Where(f => f.UserId == userId && f.FilterId == filterId).Select(f => f.Json).FirstOrDefaultAsync(cancellationToken);
}
