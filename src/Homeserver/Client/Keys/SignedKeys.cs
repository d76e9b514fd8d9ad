using System.Text.Json.Nodes;
using Homeserver.Core.Errors;

namespace Homeserver.Client.Keys;

/// <summary>Reads the body of <c>POST /keys/signatures/upload</c>: user ID → key ID → signed key object.</summary>
public static class SignedKeys
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>> Parse(JsonObject body) =>
        body.ToDictionary(
            u => u.Key,
            u => (IReadOnlyDictionary<string, JsonObject>)(u.Value as JsonObject ?? throw MatrixException.BadJson($"{u.Key} must map key IDs to signed objects"))
                .ToDictionary(k => k.Key, k => k.Value as JsonObject ?? throw MatrixException.BadJson($"{u.Key}.{k.Key} must be a signed object"), StringComparer.Ordinal),
            StringComparer.Ordinal);
}
