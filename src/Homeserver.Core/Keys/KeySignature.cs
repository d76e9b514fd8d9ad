namespace Homeserver.Core.Keys;

/// <summary>
/// A signature by <paramref name="SignerUserId"/>'s key <paramref name="SignerKeyId"/> (<c>ed25519:…</c>) on a device key
/// (<paramref name="TargetKeyId"/> is the device ID) or on a master key (the public key).
/// </summary>
public sealed record KeySignature(string TargetUserId, string TargetKeyId, string SignerUserId, string SignerKeyId, string Signature);
