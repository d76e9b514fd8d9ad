namespace Homeserver.Storage.Entities;

/// <summary>A to-device message waiting for its device to sync.</summary>
public sealed class ToDeviceMessageEntity
{
    public long StreamPosition { get; set; }

    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public required string Sender { get; set; }

    public required string Type { get; set; }

    public required string Content { get; set; }
}
