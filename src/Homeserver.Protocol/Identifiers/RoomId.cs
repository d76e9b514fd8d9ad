using System.Diagnostics.CodeAnalysis;

namespace Homeserver.Protocol.Identifiers;

/// <summary>
/// A room ID (appendices, "Room IDs"): <c>!opaque:server</c>, or from room version 12 <c>!hash</c>, the create
/// event's ID with the room sigil, which has no server part.
/// </summary>
public readonly record struct RoomId
{
    private RoomId(string value, string opaque, ServerName? server)
    {
        Value = value;
        Opaque = opaque;
        Server = server;
    }

    public string Value { get; }

    public string Opaque { get; }

    /// <summary>The server that created the room; null for room version 12 room IDs.</summary>
    public ServerName? Server { get; }

    public static RoomId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a valid room ID");

    public static bool TryParse([NotNullWhen(true)] string? value, out RoomId roomId)
    {
        roomId = default;
        if (!SigilIdentifier.TrySplit(value, '!', out var opaque, out var server))
        {
            return false;
        }

        roomId = new RoomId(value!, opaque, server);
        return true;
    }

    /// <summary>The room ID a room version 12 create event gives its room.</summary>
    public static RoomId FromCreateEventId(EventId createEventId) => Parse("!" + createEventId.Value[1..]);

    public override string ToString() => Value;
}
