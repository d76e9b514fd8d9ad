using System.Text.Json.Nodes;

namespace Homeserver.Tests.Keys;

/// <summary>A user's master, self-signing and user-signing key pairs, the latter two signed by the master key.</summary>
public sealed class CrossSigningKeys(string userId) : IDisposable
{
    public Ed25519Signer Master { get; } = new();

    public Ed25519Signer SelfSigning { get; } = new();

    public Ed25519Signer UserSigning { get; } = new();

    public static JsonObject Key(string userId, string usage, Ed25519Signer key, Ed25519Signer? signedBy = null)
    {
        var json = new JsonObject
        {
            ["user_id"] = userId,
            ["usage"] = new JsonArray(usage),
            ["keys"] = new JsonObject { ["ed25519:" + key.PublicKey] = key.PublicKey },
        };
        return signedBy is null ? json : signedBy.Sign(json, userId, "ed25519:" + signedBy.PublicKey);
    }

    /// <summary>The body of <c>/keys/device_signing/upload</c> with all three keys.</summary>
    public JsonObject Upload() => new()
    {
        ["master_key"] = Key(userId, "master", Master),
        ["self_signing_key"] = Key(userId, "self_signing", SelfSigning, Master),
        ["user_signing_key"] = Key(userId, "user_signing", UserSigning, Master),
    };

    public void Dispose()
    {
        Master.Dispose();
        SelfSigning.Dispose();
        UserSigning.Dispose();
    }
}
