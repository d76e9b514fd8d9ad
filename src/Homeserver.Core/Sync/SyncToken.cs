using System.Globalization;
using Homeserver.Core.Sync.Streams;

namespace Homeserver.Core.Sync;

/// <summary>
/// A <c>/sync</c> token: one position per stream (<see cref="StreamName"/> order), written <c>s72_4_10_2_7_0_3</c>.
/// Clients treat it as opaque; <c>/messages</c> also accepts it, reading the event position.
/// </summary>
public sealed record SyncToken(IReadOnlyList<long> Positions)
{
    private static readonly int Count = Enum.GetValues<StreamName>().Length;

    public long this[StreamName stream] => Positions[(int)stream];

    public static bool TryParse(string? value, out SyncToken token)
    {
        token = new SyncToken(new long[Count]);
        if (value is null || value.Length < 2 || value[0] != 's')
        {
            return false;
        }

        var parts = value[1..].Split('_');
        var positions = new long[Count];
        if (parts.Length > Count)
        {
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out positions[i]))
            {
                return false;
            }
        }

        token = new SyncToken(positions);
        return true;
    }

    public override string ToString() => "s" + string.Join('_', Positions.Select(p => p.ToString(CultureInfo.InvariantCulture)));
}
