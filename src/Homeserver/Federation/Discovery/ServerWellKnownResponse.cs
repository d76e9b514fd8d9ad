using System.Text.Json.Serialization;

namespace Homeserver.Federation.Discovery;

public sealed record ServerWellKnownResponse([property: JsonPropertyName("m.server")] string Server);
