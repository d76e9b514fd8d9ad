using System.Globalization;
using System.Text.Json;
using Homeserver.Core.Errors;
using Homeserver.Core.Json;

namespace Homeserver.Core.Sync.Filters;

/// <summary>Query-string values shared by the endpoints that page through events, sync and list rooms.</summary>
public static class QueryValues
{
    public static int? Limit(string? value) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit
        : throw MatrixException.InvalidParam("limit must be a non-negative integer");

    /// <summary>A boolean the spec spells <c>true</c> or <c>false</c>; absent is false.</summary>
    public static bool Flag(string? value, string name) => value switch
    {
        null or "false" => false,
        "true" => true,
        _ => throw MatrixException.InvalidParam($"{name} must be true or false"),
    };

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
