namespace Homeserver.Core.Rooms.Engine;

/// <summary>An event to persist, with its edges and the state before it, written in the same transaction.</summary>
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

    /// <summary>The position in the event stream; null for an outlier, which is not part of the timeline.</summary>
    public required long? StreamOrdering { get; init; }

    public long? SnapshotNidBefore { get; init; }

    public required string Json { get; init; }

    public required IReadOnlyList<long> PrevEventNids { get; init; }

    public required IReadOnlyList<long> AuthEventNids { get; init; }

    /// <summary>Known only through the state or auth chain of another event (a join's state), not placed in the DAG.</summary>
    public bool IsOutlier { get; init; }

    /// <summary>Passed the auth rules at its place in the DAG but not against the current state: kept, never shown.</summary>
    public bool IsSoftFailed { get; init; }

    public TransactionKey? Transaction { get; init; }

    /// <summary>For a redaction that takes effect: the event it redacts and that event's redacted JSON.</summary>
    public (long EventNid, string RedactedJson)? Redaction { get; init; }
}
