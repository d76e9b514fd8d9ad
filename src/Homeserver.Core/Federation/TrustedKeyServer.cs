namespace Homeserver.Core.Federation;

/// <summary>A notary whose answers about other servers' keys are believed when signed by one of these keys.</summary>
public sealed record TrustedKeyServer(string ServerName, IReadOnlyDictionary<string, byte[]> VerifyKeys);
