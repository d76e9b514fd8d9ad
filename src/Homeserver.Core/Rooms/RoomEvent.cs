using Homeserver.Core.Rooms.Engine;

namespace Homeserver.Core.Rooms;

/// <summary>
/// A stored event as the read side serves it. <see cref="Json"/> is the federation form, already redacted when
/// <see cref="RedactedBy"/> is set.
/// </summary>
public sealed record RoomEvent(
    long EventNid,
    string EventId,
    string RoomId,
    long StreamOrdering,
    string Type,
    string? StateKey,
    string Sender,
    long OriginServerTs,
    string Json,
    string? RedactedBy,
    long? SnapshotNidBefore)
{
    /// <summary>The device and transaction ID it was sent with, where the read side knows them.</summary>
    public TransactionKey? Transaction { get; init; }
}
