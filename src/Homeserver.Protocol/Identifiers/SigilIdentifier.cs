using System.Text;

namespace Homeserver.Protocol.Identifiers;

/// <summary>The grammar shared by room IDs, event IDs and aliases: a sigil, an opaque part, and perhaps <c>:server</c>.</summary>
internal static class SigilIdentifier
{
    public const int MaxBytes = 255;

    /// <summary>Splits <c>{sigil}opaque[:server]</c>; the opaque part is never empty and holds no NUL.</summary>
    public static bool TrySplit(string? value, char sigil, out string opaque, out ServerName? server)
    {
        opaque = string.Empty;
        server = null;
        if (value is null || value.Length < 2 || value[0] != sigil || Encoding.UTF8.GetByteCount(value) > MaxBytes || value.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            opaque = value[1..];
            return true;
        }

        if (colon == 1 || !ServerName.TryParse(value[(colon + 1)..], out var name))
        {
            return false;
        }

        opaque = value[1..colon];
        server = name;
        return true;
    }
}
