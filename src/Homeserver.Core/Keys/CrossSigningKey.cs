namespace Homeserver.Core.Keys;

/// <summary>A stored cross-signing key: its owner, type (<see cref="CrossSigningKeyTypes"/>), public key and canonical JSON.</summary>
public sealed record CrossSigningKey(string UserId, string KeyType, string PublicKey, string Json);
