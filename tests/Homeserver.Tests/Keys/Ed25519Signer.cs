using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;
using NSec.Cryptography;

namespace Homeserver.Tests.Keys;

/// <summary>A real Ed25519 key pair, signing JSON the way a client's crypto library does.</summary>
public sealed class Ed25519Signer : IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);

    public string PublicKey => UnpaddedBase64.Encode(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    /// <summary>Adds the signature of <paramref name="userId"/>'s key <paramref name="keyId"/> to the object and returns it.</summary>
    public JsonObject Sign(JsonObject json, string userId, string keyId)
    {
        var signature = UnpaddedBase64.Encode(SignatureAlgorithm.Ed25519.Sign(_key, JsonSigning.SignedBytes(json)));
        if (json["signatures"] is not JsonObject signatures)
        {
            json["signatures"] = signatures = [];
        }

        if (signatures[userId] is not JsonObject mine)
        {
            signatures[userId] = mine = [];
        }

        mine[keyId] = signature;
        return json;
    }

    public void Dispose() => _key.Dispose();
}
