using System.Text.Json.Serialization;

namespace Homeserver.Media;

public sealed record ContentUriResponse([property: JsonPropertyName("content_uri")] string ContentUri);
