using System.Diagnostics.CodeAnalysis;

namespace Homeserver.Protocol.Identifiers;

/// <summary>A room alias <c>#localpart:server</c> (appendices, "Room Aliases").</summary>
public readonly record struct RoomAlias
{
    private RoomAlias(string value, string localpart, ServerName server)
    {
        Value = value;
        Localpart = localpart;
        Server = server;
    }

    public string Value { get; }

    public string Localpart { get; }

    public ServerName Server { get; }

    public static RoomAlias Parse(string value) =>
        TryParse(value, out var alias) ? alias : throw new FormatException($"'{value}' is not a valid room alias");

    public static bool TryParse([NotNullWhen(true)] string? value, out RoomAlias alias)
    {
        alias = default;
        if (!SigilIdentifier.TrySplit(value, '#', out var localpart, out var server) || server is not { } name)
        {
            return false;
        }

        alias = new RoomAlias(value!, localpart, name);
        return true;
    }

    public override string ToString() => Value;
}
