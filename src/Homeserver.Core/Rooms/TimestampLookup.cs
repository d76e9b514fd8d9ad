using System.Globalization;
using System.Text.Json.Nodes;
using Homeserver.Core.Errors;

namespace Homeserver.Core.Rooms;

/// <summary>
/// <c>timestamp_to_event</c> (client-server and server-server API): the event of a room closest to a time, at or
/// after it (<c>dir=f</c>) or at or before it (<c>dir=b</c>).
/// </summary>
public sealed record TimestampLookup(long Timestamp, bool Forwards)
{
    /// <exception cref="MatrixException">400 for a missing or malformed <c>ts</c> or <c>dir</c>.</exception>
    public static TimestampLookup Parse(string? ts, string? dir)
    {
        if (ts is null || dir is null)
        {
            throw MatrixException.MissingParam("ts and dir are required");
        }

        if (!long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            throw MatrixException.InvalidParam("ts must be a timestamp in milliseconds");
        }

        return dir switch
        {
            "f" => new TimestampLookup(timestamp, Forwards: true),
            "b" => new TimestampLookup(timestamp, Forwards: false),
            _ => throw MatrixException.InvalidParam("dir must be f or b"),
        };
    }

    /// <summary>The answer for the room's closest event; 404 when the room has none in that direction.</summary>
    public async Task<JsonObject> AnswerAsync(IRoomReadStore rooms, long roomNid, CancellationToken cancellationToken) =>
        await rooms.GetClosestEventAsync(roomNid, Timestamp, Forwards, cancellationToken) is { } found
            ? new JsonObject { ["event_id"] = found.EventId, ["origin_server_ts"] = found.OriginServerTs }
            : throw MatrixException.NotFound("No event was found in that direction from the timestamp");
}
