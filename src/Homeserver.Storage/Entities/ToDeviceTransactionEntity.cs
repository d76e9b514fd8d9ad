namespace Homeserver.Storage.Entities;

/// <summary>A <c>/sendToDevice</c> transaction ID already served, so that a retried request sends nothing twice.</summary>
public sealed class ToDeviceTransactionEntity
{
    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public required string TransactionId { get; set; }

    public long CreatedTs { get; set; }
}
