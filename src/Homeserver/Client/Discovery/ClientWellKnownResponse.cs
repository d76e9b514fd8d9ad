using System.Text.Json.Serialization;

namespace Homeserver.Client.Discovery;

public sealed record ClientWellKnownResponse([property: JsonPropertyName("m.homeserver")] HomeserverInformation Homeserver);
