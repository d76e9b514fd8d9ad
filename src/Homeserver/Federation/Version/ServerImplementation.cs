namespace Homeserver.Federation.Version;

public sealed record ServerImplementation(string Name, string Version);
