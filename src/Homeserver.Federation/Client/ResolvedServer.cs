namespace Homeserver.Federation.Client;

/// <summary>Where to connect for a server name, and the name to present in the Host header and TLS SNI.</summary>
/// <param name="Host">A DNS name or an IP literal (IPv6 in brackets).</param>
public sealed record ResolvedServer(string Host, int Port, string HostHeader);
