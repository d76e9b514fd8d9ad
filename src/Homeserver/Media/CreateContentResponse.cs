using System.Text.Json.Serialization;

namespace Homeserver.Media;

public sealed record CreateContentResponse(
    [property: JsonPropertyName("content_uri")] string ContentUri,
    [property: JsonPropertyName("unused_expires_at")] long UnusedExpiresAt);
