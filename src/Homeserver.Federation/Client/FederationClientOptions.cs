namespace Homeserver.Federation.Client;

/// <param name="VerifyTlsCertificates">Off only for tests on loopback with self-signed certificates.</param>
public sealed record FederationClientOptions(bool VerifyTlsCertificates, TimeSpan RequestTimeout);
