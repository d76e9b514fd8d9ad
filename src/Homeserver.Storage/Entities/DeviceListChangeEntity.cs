namespace Homeserver.Storage.Entities;

/// <summary>A change to the devices or keys of a user, for the device_lists of /sync and federation.</summary>
public sealed class DeviceListChangeEntity
{
    public long StreamPosition { get; set; }

    public required string UserId { get; set; }
}
