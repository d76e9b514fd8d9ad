using System.Globalization;

namespace Homeserver.Core.Sync;

/// <summary>
/// A position between two events of a room's timeline, for <c>/messages</c> and <c>prev_batch</c>: <c>t{n}</c>
/// sits after the event at stream position n. A sync token is accepted too. Backfilled history has negative
/// positions, so n may be negative.
/// </summary>
public static class PaginationToken
{
    public static string Format(long position) => "t" + position.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? value, out long position)
    {
        position = 0;
        if (value is null)
        {
            return false;
        }

        if (value.StartsWith('t'))
        {
            return long.TryParse(value.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out position);
        }

        if (SyncToken.TryParse(value, out var token))
        {
            position = token[Streams.StreamName.Events];
            return true;
        }

        return false;
    }
}
