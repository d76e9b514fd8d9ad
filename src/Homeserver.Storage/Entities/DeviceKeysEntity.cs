namespace Homeserver.Storage.Entities;

/// <summary>The identity keys a device published through <c>/keys/upload</c>, as canonical JSON.</summary>
public sealed class DeviceKeysEntity
{
    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public required string KeyJson { get; set; }
}
