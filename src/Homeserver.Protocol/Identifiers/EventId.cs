using System.Diagnostics.CodeAnalysis;

namespace Homeserver.Protocol.Identifiers;

/// <summary>An event ID (appendices, "Event IDs"): <c>$opaque:server</c> in room versions 1–2, <c>$hash</c> later.</summary>
public readonly record struct EventId
{
    private EventId(string value, ServerName? server)
    {
        Value = value;
        Server = server;
    }

    public string Value { get; }

    /// <summary>The server that created the event, for room version 1–2 IDs only.</summary>
    public ServerName? Server { get; }

    public static EventId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a valid event ID");

    public static bool TryParse([NotNullWhen(true)] string? value, out EventId eventId)
    {
        eventId = default;
        if (!SigilIdentifier.TrySplit(value, '$', out _, out var server))
        {
            return false;
        }

        eventId = new EventId(value!, server);
        return true;
    }

    public override string ToString() => Value;
}
