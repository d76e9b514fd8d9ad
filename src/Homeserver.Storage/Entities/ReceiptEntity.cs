namespace Homeserver.Storage.Entities;

/// <summary>A read receipt (m.read, m.read.private), with its position in the receipts stream.</summary>
public sealed class ReceiptEntity
{
    public long StreamPosition { get; set; }

    public long RoomNid { get; set; }

    public required string UserId { get; set; }

    public required string ReceiptType { get; set; }

    /// <summary>The thread of a threaded receipt; empty for an unthreaded one.</summary>
    public required string ThreadId { get; set; }

    public required string EventId { get; set; }

    public long Ts { get; set; }
}
