namespace Homeserver.Federation.Version;

public sealed record FederationVersionResponse(ServerImplementation Server);
