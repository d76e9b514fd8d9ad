using System.Text.Json.Nodes;
using Homeserver.Core.Errors;

namespace Homeserver.Core.Keys;

/// <summary>Checks on keys that another server hands over for its users: it speaks for them, and only for them.</summary>
public static class RemoteKeys
{
    /// <summary>Device keys naming the user and the device they are listed under, and signed by that device.</summary>
    public static bool IsOwnDevice(string userId, string deviceId, JsonObject keys)
    {
        if (KeyJson.String(keys, "user_id") != userId || KeyJson.String(keys, "device_id") != deviceId)
        {
            return false;
        }

        var keyId = "ed25519:" + deviceId;
        try
        {
            return KeyJson.Ed25519Key(keys, keyId) is { } signingKey && KeyJson.Verify(keys, userId, keyId, signingKey);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The canonical JSON of a cross-signing key naming the user; null for anything else.</summary>
    public static string? OwnKeyJson(string userId, JsonNode? key)
    {
        if (key is not JsonObject json || KeyJson.String(json, "user_id") != userId)
        {
            return null;
        }

        try
        {
            return KeyJson.Canonical(json);
        }
        catch (MatrixException)
        {
            return null;
        }
    }
}
