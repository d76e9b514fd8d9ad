namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// An event to persist, with everything derived from it that is written in the same transaction: its edges, the
/// state before it, and (for a state event) whether it replaces an entry of the room's current state.
/// </summary>
public sealed record NewEvent
{
    public required long EventNid { get; init; }

    public required long RoomNid { get; init; }

    public required string EventId { get; init; }

    public required string Type { get; init; }

    public string? StateKey { get; init; }

    public long? StateKeyNid { get; init; }

    public required string Sender { get; init; }

    public required long Depth { get; init; }

    public required long OriginServerTs { get; init; }

    public required long StreamOrdering { get; init; }

    public long? SnapshotNidBefore { get; init; }

    public required string Json { get; init; }

    public required IReadOnlyList<long> PrevEventNids { get; init; }

    public required IReadOnlyList<long> AuthEventNids { get; init; }

    /// <summary>True when the state key already had an entry in the current state (an update rather than an insert).</summary>
    public bool ReplacesCurrentState { get; init; }

    /// <summary>The <c>membership</c> of an <c>m.room.member</c> event, for the room_memberships table.</summary>
    public string? Membership { get; init; }

    public TransactionKey? Transaction { get; init; }

    /// <summary>For a redaction that takes effect: the event it redacts and that event's redacted JSON.</summary>
    public (long EventNid, string RedactedJson)? Redaction { get; init; }
}
