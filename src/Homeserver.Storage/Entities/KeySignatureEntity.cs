namespace Homeserver.Storage.Entities;

/// <summary>
/// A signature uploaded through <c>/keys/signatures/upload</c> on a device key or master key, kept apart from the
/// key's JSON so that each reader sees only the signatures it may see.
/// </summary>
public sealed class KeySignatureEntity
{
    public required string TargetUserId { get; set; }

    /// <summary>A device ID, or the public key of a master key.</summary>
    public required string TargetKeyId { get; set; }

    public required string SignerUserId { get; set; }

    /// <summary>The signing key, as <c>ed25519:…</c>.</summary>
    public required string SignerKeyId { get; set; }

    public required string Signature { get; set; }
}
