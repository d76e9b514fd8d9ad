namespace Homeserver.Protocol.Federation;

/// <summary>A verify key read from a server's keys document, with the time until which signatures by it count.</summary>
public sealed record PublishedKey(string KeyId, byte[] PublicKey, long ValidUntilTs, bool Expired);
