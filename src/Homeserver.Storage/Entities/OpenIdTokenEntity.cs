namespace Homeserver.Storage.Entities;

/// <summary>An OpenID token: its SHA-256, whose it is, and until when (ms since the epoch).</summary>
public sealed class OpenIdTokenEntity
{
    public required string TokenHash { get; set; }

    public required string UserId { get; set; }

    public long ExpiresTs { get; set; }
}
