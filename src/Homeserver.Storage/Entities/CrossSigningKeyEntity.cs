namespace Homeserver.Storage.Entities;

/// <summary>A user's current master, self-signing or user-signing key, as canonical JSON.</summary>
public sealed class CrossSigningKeyEntity
{
    public required string UserId { get; set; }

    /// <summary><c>master</c>, <c>self_signing</c> or <c>user_signing</c>.</summary>
    public required string KeyType { get; set; }

    /// <summary>The unpadded base64 public key, which is also the key's ID in <c>/keys/signatures/upload</c>.</summary>
    public required string PublicKey { get; set; }

    public required string KeyJson { get; set; }
}
