using System.Globalization;
using System.Text.Json;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Json;

namespace Homeserver.Core.Sync.Filters;

/// <summary>Uploading and downloading filters (client-server API, "Filtering").</summary>
public sealed class FilterService(IFilterStore filters)
{
    public async Task<string> CreateAsync(Session session, string userId, SyncFilter filter, CancellationToken cancellationToken)
    {
        CheckOwner(session, userId);
        if (filter.EventFormat is not (null or "client" or "federation"))
        {
            throw MatrixException.BadJson("event_format must be client or federation");
        }

        if (Limits(filter).Any(limit => limit < 0))
        {
            throw MatrixException.BadJson("limit must not be negative");
        }

        var id = await filters.AddFilterAsync(userId, JsonSerializer.Serialize(filter, MatrixJson.Options), cancellationToken);
        return id.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<SyncFilter> GetAsync(Session session, string userId, string filterId, CancellationToken cancellationToken)
    {
        CheckOwner(session, userId);
        var json = long.TryParse(filterId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await filters.GetFilterAsync(userId, id, cancellationToken)
            : null;
        return json is null
            ? throw MatrixException.NotFound("No such filter")
            : JsonSerializer.Deserialize<SyncFilter>(json, MatrixJson.Options)!;
    }

    private static IEnumerable<int> Limits(SyncFilter filter) =>
        new EventFilter?[] { filter.Presence, filter.AccountData, filter.Room?.Ephemeral, filter.Room?.State, filter.Room?.Timeline, filter.Room?.AccountData }
            .Where(f => f?.Limit is not null)
            .Select(f => f!.Limit!.Value);

    private static void CheckOwner(Session session, string userId)
    {
        if (session.UserId != userId)
        {
            throw MatrixException.Forbidden("Filters belong to their user");
        }
    }
}
