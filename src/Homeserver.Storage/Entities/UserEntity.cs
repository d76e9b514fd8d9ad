namespace Homeserver.Storage.Entities;

/// <summary>A local user account.</summary>
public sealed class UserEntity
{
    public required string UserId { get; set; }

    public required string Localpart { get; set; }

    public string? PasswordHash { get; set; }

    public bool IsAdmin { get; set; }

    public bool IsDeactivated { get; set; }

    public long CreatedTs { get; set; }
}
