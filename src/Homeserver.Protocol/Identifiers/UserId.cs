using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Homeserver.Protocol.Identifiers;

/// <summary>
/// A user ID <c>@localpart:server</c> (appendices, "User Identifiers"). Parsing accepts the historical grammar
/// (any printable ASCII but <c>:</c> in the localpart), which remote servers still send;
/// <see cref="IsCurrentGrammar"/> tells whether the ID is one a server may create today.
/// </summary>
public readonly record struct UserId
{
    public const int MaxBytes = 255;

    private UserId(string value, string localpart, ServerName server)
    {
        Value = value;
        Localpart = localpart;
        Server = server;
    }

    public string Value { get; }

    public string Localpart { get; }

    public ServerName Server { get; }

    /// <summary>True when the localpart uses only <c>a-z 0-9 . _ = - / +</c>, the grammar for new user IDs.</summary>
    public bool IsCurrentGrammar => Localpart.All(IsCurrentChar);

    public static UserId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a valid user ID");

    public static bool TryParse([NotNullWhen(true)] string? value, out UserId userId)
    {
        userId = default;
        if (value is null || value.Length < 4 || value[0] != '@' || Encoding.UTF8.GetByteCount(value) > MaxBytes)
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2)
        {
            return false;
        }

        var localpart = value[1..colon];
        if (!localpart.All(IsHistoricalChar) || !ServerName.TryParse(value[(colon + 1)..], out var server))
        {
            return false;
        }

        userId = new UserId(value, localpart, server);
        return true;
    }

    public override string ToString() => Value;

    private static bool IsCurrentChar(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c) || c is '.' or '_' or '=' or '-' or '/' or '+';

    private static bool IsHistoricalChar(char c) => c is >= '!' and <= '~' && c != ':';
}
