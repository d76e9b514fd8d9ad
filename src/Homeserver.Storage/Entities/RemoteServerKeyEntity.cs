namespace Homeserver.Storage.Entities;

/// <summary>A verify key of another server, cached with its validity.</summary>
public sealed class RemoteServerKeyEntity
{
    public required string ServerName { get; set; }

    public required string KeyId { get; set; }

    public required string PublicKey { get; set; }

    public long ValidUntilTs { get; set; }

    /// <summary>Set for an old key: signatures made after this time are not accepted.</summary>
    public long? ExpiredTs { get; set; }
}
