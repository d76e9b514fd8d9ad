using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;

namespace Homeserver.Core.Keys;

/// <summary>Checks shared by the key endpoints: the shape of key objects, their canonical form and their signatures.</summary>
public static class KeyJson
{
    private const int MaxIdentifierBytes = 255;

    /// <summary>
    /// An identifier the server keeps in a column: 1 to 255 bytes without control characters (PostgreSQL refuses
    /// NUL in text, and no Matrix identifier holds one).
    /// </summary>
    public static bool IsIdentifier(string? value) =>
        !string.IsNullOrEmpty(value) && Encoding.UTF8.GetByteCount(value) <= MaxIdentifierBytes && !value.Any(char.IsControl);

    public static string RequireIdentifier(string? value, string what) =>
        IsIdentifier(value) ? value! : throw MatrixException.InvalidParam($"{what} must be 1 to 255 bytes without control characters");

    /// <summary>The canonical JSON text of a value, as stored; a value canonical JSON cannot hold is the client's error.</summary>
    public static string Canonical(JsonNode node)
    {
        try
        {
            return Encoding.UTF8.GetString(CanonicalJson.Encode(node));
        }
        catch (FormatException e)
        {
            throw MatrixException.BadJson(e.Message);
        }
    }

    public static string? String(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string RequireString(JsonObject json, string name, string where) =>
        String(json, name) ?? throw MatrixException.BadJson($"{where}: '{name}' must be a string");

    public static JsonObject RequireObject(JsonNode? node, string where) =>
        node as JsonObject ?? throw MatrixException.BadJson($"{where} must be a JSON object");

    /// <summary>A deep copy without <c>unsigned</c>, which others add to after signing and the server does not keep.</summary>
    public static JsonObject WithoutUnsigned(JsonObject json)
    {
        var copy = json.DeepClone().AsObject();
        copy.Remove("unsigned");
        return copy;
    }

    /// <summary>The 32-byte Ed25519 public key published as <c>keys[keyId]</c>, or null.</summary>
    public static byte[]? Ed25519Key(JsonObject keyObject, string keyId) =>
        keyObject["keys"] is JsonObject keys
        && keys[keyId] is JsonValue value
        && value.TryGetValue<string>(out var encoded)
        && UnpaddedBase64.TryDecode(encoded, out var bytes)
        && bytes.Length == 32
            ? bytes
            : null;

    public static bool Verify(JsonObject json, string signer, string keyId, byte[] publicKey) =>
        JsonSigning.Verify(json, signer, keyId, publicKey);

    /// <summary>Whether two key objects are the same apart from their signatures (what a new signature must not change).</summary>
    public static bool SameSignedContent(JsonObject a, JsonObject b)
    {
        try
        {
            return JsonSigning.SignedBytes(a).AsSpan().SequenceEqual(JsonSigning.SignedBytes(b));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Adds the signatures to the key object's <c>signatures</c>, keeping those it holds.</summary>
    public static void AddSignatures(JsonObject keyObject, IEnumerable<KeySignature> signatures)
    {
        foreach (var signature in signatures)
        {
            if (keyObject["signatures"] is not JsonObject all)
            {
                keyObject["signatures"] = all = [];
            }

            if (all[signature.SignerUserId] is not JsonObject bySigner)
            {
                all[signature.SignerUserId] = bySigner = [];
            }

            bySigner[signature.SignerKeyId] = signature.Signature;
        }
    }
}
