using System.Text.Json.Serialization;

namespace Homeserver.Http;

/// <summary>The 401 body of user-interactive authentication.</summary>
public sealed record UiaResponse(
    [property: JsonPropertyName("flows")] IReadOnlyList<UiaFlow> Flows,
    [property: JsonPropertyName("params")] IReadOnlyDictionary<string, object> Params,
    [property: JsonPropertyName("session")] string Session,
    [property: JsonPropertyName("completed")] IReadOnlyList<string> Completed,
    [property: JsonPropertyName("errcode")] string? ErrorCode,
    [property: JsonPropertyName("error")] string? Error);
