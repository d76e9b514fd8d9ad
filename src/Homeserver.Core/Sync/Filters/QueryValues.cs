using System.Globalization;
using System.Text.Json;
using Homeserver.Core.Errors;
using Homeserver.Core.Json;

namespace Homeserver.Core.Sync.Filters;

/// <summary>Query-string values shared by the endpoints that page through events.</summary>
public static class QueryValues
{
    public static int? Limit(string? value) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit
        : throw MatrixException.InvalidParam("limit must be a non-negative integer");

    /// <summary>A filter given inline as JSON; a stored filter's ID is not accepted here by the spec.</summary>
    public static RoomEventFilter? RoomEventFilter(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RoomEventFilter>(value, MatrixJson.Options);
        }
        catch (JsonException)
        {
            throw MatrixException.InvalidParam("filter is not a valid RoomEventFilter");
        }
    }
}
