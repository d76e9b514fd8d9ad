using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;

namespace Homeserver.Protocol.Federation;

/// <summary>
/// A server's published keys (server-server API, "Publishing Keys"): <c>server_name</c>, <c>valid_until_ts</c>,
/// <c>verify_keys</c>, <c>old_verify_keys</c>, signed by the server itself and possibly by notaries.
/// </summary>
public static class ServerKeysDocument
{
    /// <summary>
    /// The document of this server, signed with its current key. <paramref name="oldKeys"/> are the keys it used
    /// before, each with the time it stopped (<see cref="PublishedKey.ValidUntilTs"/>): other servers still need
    /// them to check what was signed with them.
    /// </summary>
    public static JsonObject Build(string serverName, SigningKey key, long validUntilTs, IEnumerable<PublishedKey> oldKeys)
    {
        var old = new JsonObject();
        foreach (var oldKey in oldKeys)
        {
            old[oldKey.KeyId] = new JsonObject { ["key"] = UnpaddedBase64.Encode(oldKey.PublicKey), ["expired_ts"] = oldKey.ValidUntilTs };
        }

        var json = new JsonObject
        {
            ["server_name"] = serverName,
            ["valid_until_ts"] = validUntilTs,
            ["verify_keys"] = new JsonObject { [key.KeyId] = new JsonObject { ["key"] = key.PublicKeyBase64 } },
            ["old_verify_keys"] = old,
        };
        JsonSigning.Sign(json, serverName, key);
        return json;
    }

    /// <summary>
    /// Reads a document said to be <paramref name="serverName"/>'s: its keys, once it is known to name that server
    /// and to be signed by it with one of its current keys. An old key counts until its <c>expired_ts</c>.
    /// </summary>
    public static bool TryRead(JsonObject json, string serverName, [NotNullWhen(true)] out IReadOnlyList<PublishedKey>? keys, [NotNullWhen(false)] out string? error)
    {
        keys = null;
        if (json["server_name"] is not JsonValue name || !name.TryGetValue<string>(out var named) || named != serverName)
        {
            error = "the keys are not for the server asked";
            return false;
        }

        if (!JsonInteger.TryRead(json["valid_until_ts"], out var validUntilTs))
        {
            error = "valid_until_ts is missing";
            return false;
        }

        if (json["verify_keys"] is not JsonObject verifyKeys)
        {
            error = "verify_keys is missing";
            return false;
        }

        var found = new List<PublishedKey>();
        var selfSigned = false;
        foreach (var (keyId, node) in verifyKeys)
        {
            if (!TryReadKey(node, out var publicKey))
            {
                error = $"verify key {keyId} is malformed";
                return false;
            }

            selfSigned |= JsonSigning.Verify(json, serverName, keyId, publicKey);
            found.Add(new PublishedKey(keyId, publicKey, validUntilTs, Expired: false));
        }

        if (!selfSigned)
        {
            error = "the keys are not signed by the server's own key";
            return false;
        }

        if (json["old_verify_keys"] is JsonObject oldKeys)
        {
            foreach (var (keyId, node) in oldKeys)
            {
                if (TryReadKey(node, out var publicKey) && JsonInteger.TryRead(node!["expired_ts"], out var expiredTs))
                {
                    found.Add(new PublishedKey(keyId, publicKey, expiredTs, Expired: true));
                }
            }
        }

        keys = found;
        error = null;
        return true;
    }

    private static bool TryReadKey(JsonNode? node, [NotNullWhen(true)] out byte[]? publicKey)
    {
        publicKey = null;
        return node is JsonObject key
            && key["key"] is JsonValue value
            && value.TryGetValue<string>(out var encoded)
            && UnpaddedBase64.TryDecode(encoded, out publicKey)
            && publicKey.Length == 32;
    }
}
