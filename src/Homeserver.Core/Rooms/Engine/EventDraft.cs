using System.Text.Json.Nodes;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// What a local user asks to put in a room; the room engine completes it into a signed event (prev and auth events,
/// depth, hashes, ID). <see cref="RoomId"/> is null in the drafts of a room being created, whose ID the engine chooses.
/// </summary>
public sealed record EventDraft(string? RoomId, string Type, string? StateKey, string Sender, JsonObject Content)
{
    /// <summary>For <c>m.room.redaction</c> in room versions before 11, where it is a top-level key.</summary>
    public string? Redacts { get; init; }

    /// <summary>The client transaction that sent it, so that a retry gets the same event.</summary>
    public TransactionKey? Transaction { get; init; }
}
