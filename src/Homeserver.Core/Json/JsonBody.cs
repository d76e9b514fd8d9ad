using System.Text.Json.Nodes;
using Homeserver.Core.Errors;

namespace Homeserver.Core.Json;

/// <summary>Reads fields of a request body with the spec's errors for missing and mistyped ones.</summary>
public static class JsonBody
{
    public static string RequiredString(this JsonObject body, string key) =>
        body.OptionalString(key) ?? throw MatrixException.MissingParam($"{key} is required");

    public static string? OptionalString(this JsonObject body, string key) => body[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw MatrixException.BadJson($"{key} must be a string"),
    };
}
