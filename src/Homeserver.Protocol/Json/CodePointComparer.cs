namespace Homeserver.Protocol.Json;

/// <summary>
/// Orders strings by Unicode code point, as canonical JSON sorts keys. Ordinal UTF-16 comparison agrees except
/// between surrogate pairs (code points above U+FFFF) and U+E000–U+FFFF, which it puts the wrong way round.
/// </summary>
public sealed class CodePointComparer : IComparer<string>
{
    public static CodePointComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a != b)
            {
                return Rank(a).CompareTo(Rank(b));
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    // Surrogates (U+D800–U+DFFF) stand for code points above U+FFFF: move them above every other UTF-16 unit.
    private static int Rank(char c) => char.IsSurrogate(c) ? c + 0x10000 : c;
}
