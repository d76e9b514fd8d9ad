namespace Homeserver.Protocol.Signing;

/// <summary>A server's public key and the time (ms since the epoch) until which its signatures count.</summary>
public sealed record VerifyKey(byte[] PublicKey, long ValidUntilTs);
