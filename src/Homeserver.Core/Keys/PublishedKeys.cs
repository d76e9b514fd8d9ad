using System.Text.Json.Nodes;

namespace Homeserver.Core.Keys;

/// <summary>Stored keys as other servers see them: with the signatures their owner made on them, and no one else's.</summary>
public static class PublishedKeys
{
    /// <summary>The signatures a user made on their own keys, by the key signed (a device ID or a public key).</summary>
    public static async Task<ILookup<string, KeySignature>> OwnSignaturesAsync(ICrossSigningStore store, string userId, CancellationToken cancellationToken) =>
        (await store.GetSignaturesAsync([userId], cancellationToken))
            .Where(s => s.SignerUserId == userId)
            .ToLookup(s => s.TargetKeyId, StringComparer.Ordinal);

    /// <summary>A device's identity keys, signed by the device and (with the self-signing key) by its owner.</summary>
    public static JsonObject Device(StoredDeviceKeys device, ILookup<string, KeySignature> ownSignatures)
    {
        var json = JsonNode.Parse(device.Json)!.AsObject();
        KeyJson.AddSignatures(json, ownSignatures[device.DeviceId]);
        return json;
    }

    /// <summary>A cross-signing key; a master key with the signatures of its owner's devices.</summary>
    public static JsonObject CrossSigning(CrossSigningKey key, ILookup<string, KeySignature> ownSignatures)
    {
        var json = JsonNode.Parse(key.Json)!.AsObject();
        KeyJson.AddSignatures(json, ownSignatures[key.PublicKey]);
        return json;
    }
}
