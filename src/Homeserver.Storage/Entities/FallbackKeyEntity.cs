namespace Homeserver.Storage.Entities;

/// <summary>The one fallback key a device keeps per algorithm, handed out when its one-time keys run out.</summary>
public sealed class FallbackKeyEntity
{
    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public required string Algorithm { get; set; }

    public required string KeyId { get; set; }

    public required string KeyJson { get; set; }

    public bool Used { get; set; }
}
