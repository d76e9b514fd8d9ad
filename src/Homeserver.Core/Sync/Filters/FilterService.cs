using System.Globalization;
using System.Text.Json;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Json;

namespace Homeserver.Core.Sync.Filters;

/// <summary>Uploading and downloading filters (client-server API, "Filtering").</summary>
public sealed class FilterService(IFilterStore filters, ParsedFilters parsed)
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
        if (!long.TryParse(filterId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw MatrixException.NotFound("No such filter");
        }

        var key = ParsedFilters.StoredKey(userId, id);
        if (parsed.TryGet(key, out var known))
        {
            return known;
        }

        var json = await filters.GetFilterAsync(userId, id, cancellationToken) ?? throw MatrixException.NotFound("No such filter");
        var filter = JsonSerializer.Deserialize<SyncFilter>(json, MatrixJson.Options)!;
        parsed.Add(key, filter);
        return filter;
    }

    /// <summary><c>/sync</c>'s <c>filter</c> parameter: a stored filter's ID, or a filter inline as JSON.</summary>
    public async Task<SyncFilter?> ForSyncAsync(Session session, string? filter, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return null;
        }

        return filter.StartsWith('{') ? Inline(filter) : await GetAsync(session, session.UserId, filter, cancellationToken);
    }

    private SyncFilter? Inline(string json)
    {
        if (parsed.TryGet(json, out var known))
        {
            return known;
        }

        SyncFilter? filter;
        try
        {
            filter = JsonSerializer.Deserialize<SyncFilter>(json, MatrixJson.Options);
        }
        catch (JsonException)
        {
            throw MatrixException.InvalidParam("filter is neither a filter ID nor a valid filter");
        }

        if (filter is not null)
        {
            parsed.Add(json, filter);
        }

        return filter;
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
