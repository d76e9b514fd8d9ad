namespace Homeserver.Storage.Entities;

/// <summary>A device (session) of a local user.</summary>
public sealed class DeviceEntity
{
    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public string? DisplayName { get; set; }

    public long CreatedTs { get; set; }

    public long? LastSeenTs { get; set; }

    public string? LastSeenIp { get; set; }
}
