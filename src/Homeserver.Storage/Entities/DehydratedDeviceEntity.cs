namespace Homeserver.Storage.Entities;

/// <summary>Which of a user's devices is their dehydrated device (MSC3814), and the client's data for it as JSON.</summary>
public sealed class DehydratedDeviceEntity
{
    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public required string DeviceData { get; set; }
}
