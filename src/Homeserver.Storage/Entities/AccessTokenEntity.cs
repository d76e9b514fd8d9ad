namespace Homeserver.Storage.Entities;

/// <summary>An access token of a device; only the SHA-256 of the token is stored.</summary>
public sealed class AccessTokenEntity
{
    public required string TokenHash { get; set; }

    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public long CreatedTs { get; set; }

    public long? ExpiresTs { get; set; }

    /// <summary>The SHA-256 of the refresh token that renews this session, for clients that asked for one.</summary>
    public string? RefreshTokenHash { get; set; }

    /// <summary>
    /// The session this one replaced by a refresh. It is deleted when this one is first used, so that a client that
    /// lost the refresh response can refresh again with the old refresh token.
    /// </summary>
    public string? PreviousTokenHash { get; set; }
}
