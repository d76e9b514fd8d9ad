namespace Homeserver.Configuration;

/// <summary>A notary to ask for other servers' keys, believed when its answer is signed by one of <see cref="VerifyKeys"/>.</summary>
public sealed class TrustedKeyServerOptions
{
    public string ServerName { get; set; } = "";

    /// <summary>Key ID (<c>ed25519:…</c>) to unpadded base64 public key.</summary>
    public Dictionary<string, string> VerifyKeys { get; set; } = [];
}
