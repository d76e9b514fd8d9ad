namespace Homeserver.Storage.Entities;

/// <summary>A signing key of this server: the one in use and the old ones, which other servers may still ask for.</summary>
public sealed class ServerSigningKeyEntity
{
    public required string KeyId { get; set; }

    public required string PublicKey { get; set; }

    public long? ExpiredTs { get; set; }
}
