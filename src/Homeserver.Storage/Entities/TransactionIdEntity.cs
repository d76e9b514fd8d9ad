namespace Homeserver.Storage.Entities;

/// <summary>A client transaction ID and the event it created, so that a retried send returns the same event.</summary>
public sealed class TransactionIdEntity
{
    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public required string TransactionId { get; set; }

    public required string EventId { get; set; }
}
