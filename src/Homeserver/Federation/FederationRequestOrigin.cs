namespace Homeserver.Federation;

/// <summary>The server whose X-Matrix signature on the current request was verified: a request feature.</summary>
public sealed record FederationRequestOrigin(string ServerName);
