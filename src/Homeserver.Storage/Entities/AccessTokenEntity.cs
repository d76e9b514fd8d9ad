namespace Homeserver.Storage.Entities;

/// <summary>An access token of a device; only the SHA-256 of the token is stored.</summary>
public sealed class AccessTokenEntity
{
    public required string TokenHash { get; set; }

    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public long CreatedTs { get; set; }

    public long? ExpiresTs { get; set; }
}
