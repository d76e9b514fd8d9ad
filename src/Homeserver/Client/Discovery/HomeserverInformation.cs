using System.Text.Json.Serialization;

namespace Homeserver.Client.Discovery;

public sealed record HomeserverInformation([property: JsonPropertyName("base_url")] string BaseUrl);
