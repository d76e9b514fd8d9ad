namespace Homeserver.Configuration;

/// <summary>One verify key of a notary.</summary>
public sealed class TrustedKeyOptions
{
    /// <summary>The key ID, e.g. <c>ed25519:auto</c>.</summary>
    public string KeyId { get; set; } = "";

    /// <summary>The Ed25519 public key, unpadded base64.</summary>
    public string PublicKey { get; set; } = "";
}
