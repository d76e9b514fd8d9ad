using System.Globalization;
using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Json;
using Homeserver.Core.Sync.Filters;

namespace Homeserver.Core.RoomDirectory;

/// <summary>
/// A request for a page of published rooms (<c>/publicRooms</c>, client and federation): <paramref name="Since"/> a
/// <c>next_batch</c> or <c>prev_batch</c> token of an earlier page, <paramref name="SearchTerm"/> the filter's
/// <c>generic_search_term</c>, <paramref name="RoomTypes"/> its <c>room_types</c> (a null entry: rooms without a
/// type; the list null: every room).
/// </summary>
public sealed record PublicRoomsQuery(int? Limit, string? Since, string? SearchTerm, IReadOnlyList<string?>? RoomTypes, bool IncludeAllNetworks, string? ThirdPartyInstanceId)
{
    /// <summary>The query string of the GET forms.</summary>
    public static PublicRoomsQuery FromQueryString(string? limit, string? since, string? includeAllNetworks, string? thirdPartyInstanceId)
    {
        int? parsedLimit = null;
        if (limit is not null)
        {
            parsedLimit = int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : throw MatrixException.InvalidParam("limit must be a non-negative integer");
        }

        return new PublicRoomsQuery(parsedLimit, since, null, null, QueryValues.Flag(includeAllNetworks, "include_all_networks"), thirdPartyInstanceId);
    }

    /// <summary>The body of the POST forms.</summary>
    public static PublicRoomsQuery FromBody(JsonObject body)
    {
        int? limit = body["limit"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<int>(out var l) && l >= 0 => l,
            _ => throw MatrixException.BadJson("limit must be a non-negative integer"),
        };
        var all = body["include_all_networks"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw MatrixException.BadJson("include_all_networks must be a boolean"),
        };
        string? searchTerm = null;
        List<string?>? roomTypes = null;
        switch (body["filter"])
        {
            case null:
                break;
            case JsonObject filter:
                searchTerm = filter.OptionalString("generic_search_term");
                if (filter["room_types"] is { } types)
                {
                    roomTypes = types is JsonArray list && list.All(t => t is null || (t is JsonValue v && v.TryGetValue<string>(out _)))
                        ? [.. list.Select(t => (string?)t)]
                        : throw MatrixException.BadJson("filter.room_types must be a list of strings and nulls");
                }

                break;
            default:
                throw MatrixException.BadJson("filter must be an object");
        }

        return new PublicRoomsQuery(limit, body.OptionalString("since"), searchTerm, roomTypes, all, body.OptionalString("third_party_instance_id"));
    }
}
