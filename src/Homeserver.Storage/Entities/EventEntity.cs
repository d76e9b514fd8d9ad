namespace Homeserver.Storage.Entities;

/// <summary>A persistent event (PDU): its JSON exactly as sent, and the fields the server reads without parsing it.</summary>
public sealed class EventEntity
{
    public long EventNid { get; set; }

    public required string EventId { get; set; }

    public long RoomNid { get; set; }

    public required string Type { get; set; }

    /// <summary>Null for a message event.</summary>
    public long? StateKeyNid { get; set; }

    public required string Sender { get; set; }

    public long Depth { get; set; }

    public long OriginServerTs { get; set; }

    /// <summary>The position in the global event stream; null for outliers, which are not part of the timeline.</summary>
    public long? StreamOrdering { get; set; }

    public bool IsOutlier { get; set; }

    public bool IsRejected { get; set; }

    public bool IsSoftFailed { get; set; }

    public long? RedactedByEventNid { get; set; }

    /// <summary>The room state before this event; the state after it is this plus the event itself.</summary>
    public long? StateSnapshotNidBefore { get; set; }

    /// <summary>The event as received or created, byte for byte, so that it can be re-sent over federation.</summary>
    public required string Json { get; set; }

    /// <summary>The redacted form, once the event has been redacted.</summary>
    public string? RedactedJson { get; set; }
}
