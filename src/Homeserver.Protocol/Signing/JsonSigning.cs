using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;

namespace Homeserver.Protocol.Signing;

/// <summary>Signing JSON objects and checking their signatures (appendices, "Signing JSON").</summary>
public static class JsonSigning
{
    /// <summary>The keys a signature does not cover: others may add to them after signing.</summary>
    public static IReadOnlySet<string> UnsignedKeys { get; } = new[] { "signatures", "unsigned" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Adds the signature of <paramref name="signer"/> to <paramref name="json"/>, keeping other servers' signatures.</summary>
    public static void Sign(JsonObject json, string signer, SigningKey key)
    {
        var signature = UnpaddedBase64.Encode(key.Sign(SignedBytes(json)));
        if (json["signatures"] is not JsonObject signatures)
        {
            json["signatures"] = signatures = [];
        }

        if (signatures[signer] is not JsonObject mine)
        {
            signatures[signer] = mine = [];
        }

        mine[key.KeyId] = signature;
    }

    /// <summary>
    /// Whether <paramref name="json"/> carries a valid signature of <paramref name="signer"/> made with the key
    /// <paramref name="keyId"/> whose public half is <paramref name="publicKey"/>.
    /// </summary>
    public static bool Verify(JsonObject json, string signer, string keyId, ReadOnlySpan<byte> publicKey)
    {
        if (json["signatures"]?[signer]?[keyId] is not JsonValue value
            || !value.TryGetValue<string>(out var encoded)
            || !UnpaddedBase64.TryDecode(encoded, out var signature))
        {
            return false;
        }

        byte[] signed;
        try
        {
            signed = SignedBytes(json);
        }
        catch (FormatException)
        {
            return false;
        }

        return SigningKey.Verify(publicKey, signed, signature);
    }

    /// <summary>The canonical JSON of the object without <c>signatures</c> and <c>unsigned</c>: what a signature covers.</summary>
    public static byte[] SignedBytes(JsonObject json)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        CanonicalJson.Write(buffer, json, UnsignedKeys);
        return buffer.WrittenSpan.ToArray();
    }
}
