using System.Text.Json.Serialization;

namespace Homeserver.Http;

/// <summary>The spec's standard error response.</summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("errcode")] string ErrorCode,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("retry_after_ms")] long? RetryAfterMs = null,
    [property: JsonPropertyName("soft_logout")] bool? SoftLogout = null)
{
    [JsonExtensionData]
    public IDictionary<string, object>? Details { get; init; }
}
