namespace Homeserver.Storage.Entities;

/// <summary>A token an administrator hands out so that someone may register while registration needs one.</summary>
public sealed class RegistrationTokenEntity
{
    public required string Token { get; set; }

    /// <summary>How many registrations it allows; null for no limit.</summary>
    public int? UsesAllowed { get; set; }

    public int Completed { get; set; }

    /// <summary>When it stops working (ms since the epoch); null for never.</summary>
    public long? ExpiryTs { get; set; }

    public long CreatedTs { get; set; }
}
