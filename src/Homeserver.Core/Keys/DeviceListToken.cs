using System.Globalization;

namespace Homeserver.Core.Keys;

/// <summary>
/// Reads the device-list position out of a <c>/sync</c> token
/// (<c>s{events}_{accountData}_{receipts}_{toDevice}_{deviceLists}_{presence}_{typing}</c>, DESIGN.md §3), which is
/// what <c>/keys/changes</c> takes as <c>from</c> and <c>to</c>.
/// </summary>
public static class DeviceListToken
{
    private const int DeviceListsIndex = 4;

    public static bool TryParsePosition(string? token, out long position)
    {
        position = 0;
        if (token is null || token.Length < 2 || token[0] != 's')
        {
            return false;
        }

        var parts = token[1..].Split('_');
        return parts.Length > DeviceListsIndex
            && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
            && long.TryParse(parts[DeviceListsIndex], NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }
}
