using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Devices;
using Homeserver.Core.Errors;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Json;

namespace Homeserver.Core.Keys;

/// <summary>
/// Cross-signing (client-server API, "Cross-signing"): <c>/keys/device_signing/upload</c> and
/// <c>/keys/signatures/upload</c>.
/// </summary>
public sealed class CrossSigningService(
    ICrossSigningStore store,
    IDeviceKeyStore deviceKeys,
    IDeviceStore devices,
    LoginService logins,
    UserInteractiveAuth uia,
    DeviceListUpdates deviceLists)
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> ReplaceFlows = [[UserInteractiveAuth.Password]];

    public async Task UploadKeysAsync(Session session, JsonObject? master, JsonObject? selfSigning, JsonObject? userSigning, JsonObject? auth, CancellationToken cancellationToken)
    {
        var userId = session.UserId;
        var uploads = new List<(string Type, JsonObject Json)>();
        if (master is not null)
        {
            uploads.Add((CrossSigningKeyTypes.Master, master));
        }

        if (selfSigning is not null)
        {
            uploads.Add((CrossSigningKeyTypes.SelfSigning, selfSigning));
        }

        if (userSigning is not null)
        {
            uploads.Add((CrossSigningKeyTypes.UserSigning, userSigning));
        }

        var keys = uploads.Select(u => (u.Type, u.Json, PublicKey: CheckKey(u.Json, u.Type, userId))).ToList();
        if (keys.Count == 0)
        {
            return;
        }

        var existing = (await store.GetKeysAsync([userId], cancellationToken)).ToDictionary(k => k.KeyType, StringComparer.Ordinal);
        if (existing.ContainsKey(CrossSigningKeyTypes.Master))
        {
            // Spec v1.11: uploading the keys the server already holds needs no authentication, so that a retry
            // after a lost response is not challenged; replacing them needs the password.
            if (keys.All(k => existing.TryGetValue(k.Type, out var held) && KeyJson.SameSignedContent(JsonNode.Parse(held.Json)!.AsObject(), k.Json)))
            {
                return;
            }

            await uia.RequireAsync(auth, ReplaceFlows, (_, stage) => logins.CheckPasswordStageAsync(userId, stage, cancellationToken));
        }

        var masterKey = keys.Where(k => k.Type == CrossSigningKeyTypes.Master).Select(k => k.PublicKey).FirstOrDefault()
            ?? existing.GetValueOrDefault(CrossSigningKeyTypes.Master)?.PublicKey;
        foreach (var (type, json, _) in keys.Where(k => k.Type != CrossSigningKeyTypes.Master))
        {
            if (masterKey is null)
            {
                throw MatrixException.MissingParam("No master signing key is available to check the other keys against");
            }

            if (!KeyJson.Verify(json, userId, "ed25519:" + masterKey, UnpaddedBase64.Decode(masterKey)))
            {
                throw new MatrixException(ErrorCode.InvalidSignature, 400, $"The {type} key is not signed by the master key");
            }
        }

        // Clients look keys up by ID in one namespace with device IDs, so the two must never collide.
        var deviceIds = (await devices.ListDevicesAsync(userId, cancellationToken)).Select(d => d.DeviceId).ToHashSet(StringComparer.Ordinal);
        if (keys.Any(k => deviceIds.Contains(k.PublicKey)))
        {
            throw MatrixException.Forbidden("The public key is already in use as a device ID");
        }

        await store.StoreKeysAsync(
            userId,
            [.. keys.Select(k => new CrossSigningKey(userId, k.Type, k.PublicKey, KeyJson.Canonical(KeyJson.WithoutUnsigned(k.Json))))],
            cancellationToken);
        await deviceLists.SigningKeysChangedAsync(userId, cancellationToken);
    }

    /// <summary>Stores every signature that checks out; the answer is the <c>failures</c> map (user → key ID → error).</summary>
    public async Task<JsonObject> UploadSignaturesAsync(Session session, IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>> signed, CancellationToken cancellationToken)
    {
        var me = session.UserId;
        var failures = new JsonObject();
        var accepted = new List<KeySignature>();
        var myKeys = (await store.GetKeysAsync([me], cancellationToken)).ToDictionary(k => k.KeyType, StringComparer.Ordinal);
        foreach (var (targetUser, byKey) in signed)
        {
            foreach (var (keyId, json) in byKey)
            {
                var failure = await CheckSignatureAsync(me, myKeys, targetUser, keyId, json, accepted, cancellationToken);
                if (failure is { } error)
                {
                    if (failures[targetUser] is not JsonObject forUser)
                    {
                        failures[targetUser] = forUser = [];
                    }

                    forUser[keyId] = new JsonObject { ["errcode"] = error.Code.Value, ["error"] = error.Message };
                }
            }
        }

        if (accepted.Count > 0)
        {
            await store.StoreSignaturesAsync(me, accepted, cancellationToken);
            // Other servers see a signed device as a changed device, and a signed master key as changed signing keys.
            var ownDevices = (await devices.ListDevicesAsync(me, cancellationToken)).Select(d => d.DeviceId).ToHashSet(StringComparer.Ordinal);
            var signedDevices = accepted.Where(a => a.TargetUserId == me && ownDevices.Contains(a.TargetKeyId)).Select(a => a.TargetKeyId).Distinct(StringComparer.Ordinal).ToList();
            if (signedDevices.Count > 0)
            {
                await deviceLists.DevicesChangedAsync(me, signedDevices, changePerDevice: signedDevices.Count == 1, cancellationToken);
            }

            if (accepted.Any(a => a.TargetUserId == me && !ownDevices.Contains(a.TargetKeyId)))
            {
                await deviceLists.SigningKeysChangedAsync(me, cancellationToken);
            }
        }

        return failures;
    }

    /// <summary>
    /// A user signs their own devices with their self-signing key, their own master key with a device, and other
    /// users' master keys with their user-signing key; nothing else. Adds what verifies to <paramref name="accepted"/>.
    /// </summary>
    private async Task<(ErrorCode Code, string Message)?> CheckSignatureAsync(
        string me, Dictionary<string, CrossSigningKey> myKeys, string targetUser, string keyId, JsonObject json, List<KeySignature> accepted, CancellationToken cancellationToken)
    {
        if (!KeyJson.IsIdentifier(targetUser) || !KeyJson.IsIdentifier(keyId))
        {
            return (ErrorCode.InvalidParam, "Invalid user or key ID");
        }

        if (json["signatures"]?[me] is not JsonObject mine || mine.Count == 0)
        {
            return (ErrorCode.InvalidParam, "The object carries no signature of yours");
        }

        if (targetUser == me && await deviceKeys.GetDeviceKeysAsync(me, keyId, cancellationToken) is { } deviceJson)
        {
            return CheckOne(json, JsonNode.Parse(deviceJson)!.AsObject(), me, keyId, myKeys.GetValueOrDefault(CrossSigningKeyTypes.SelfSigning), accepted);
        }

        if (targetUser == me)
        {
            if (myKeys.GetValueOrDefault(CrossSigningKeyTypes.Master) is not { } master || master.PublicKey != keyId)
            {
                return (ErrorCode.NotFound, "Unknown key");
            }

            var stored = JsonNode.Parse(master.Json)!.AsObject();
            if (!KeyJson.SameSignedContent(stored, json))
            {
                return (ErrorCode.InvalidParam, "The signed object does not match the stored key");
            }

            // A master key is signed by one of the owner's devices, with the device's Ed25519 key.
            var before = accepted.Count;
            foreach (var (signerKeyId, _) in mine)
            {
                if (signerKeyId.StartsWith("ed25519:", StringComparison.Ordinal)
                    && KeyJson.IsIdentifier(signerKeyId)
                    && await deviceKeys.GetDeviceKeysAsync(me, signerKeyId["ed25519:".Length..], cancellationToken) is { } signerJson
                    && KeyJson.Ed25519Key(JsonNode.Parse(signerJson)!.AsObject(), signerKeyId) is { } deviceKey
                    && KeyJson.Verify(json, me, signerKeyId, deviceKey))
                {
                    accepted.Add(new KeySignature(me, keyId, me, signerKeyId, KeyJson.String(mine, signerKeyId)!));
                }
            }

            return accepted.Count > before ? null : (ErrorCode.InvalidSignature, "Invalid signature");
        }

        var theirMaster = (await store.GetKeysAsync([targetUser], cancellationToken))
            .FirstOrDefault(k => k.KeyType == CrossSigningKeyTypes.Master && k.PublicKey == keyId);
        return theirMaster is null
            ? (ErrorCode.NotFound, "Unknown key")
            : CheckOne(json, JsonNode.Parse(theirMaster.Json)!.AsObject(), targetUser, keyId, myKeys.GetValueOrDefault(CrossSigningKeyTypes.UserSigning), accepted);
    }

    private static (ErrorCode Code, string Message)? CheckOne(JsonObject json, JsonObject stored, string targetUser, string keyId, CrossSigningKey? signer, List<KeySignature> accepted)
    {
        if (signer is null)
        {
            return (ErrorCode.NotFound, "You have no cross-signing key to sign this with");
        }

        if (!KeyJson.SameSignedContent(stored, json))
        {
            return (ErrorCode.InvalidParam, "The signed object does not match the stored key");
        }

        var signerKeyId = "ed25519:" + signer.PublicKey;
        if (!KeyJson.Verify(json, signer.UserId, signerKeyId, UnpaddedBase64.Decode(signer.PublicKey)))
        {
            return (ErrorCode.InvalidSignature, "Invalid signature");
        }

        accepted.Add(new KeySignature(targetUser, keyId, signer.UserId, signerKeyId, KeyJson.String(json["signatures"]![signer.UserId]!.AsObject(), signerKeyId)!));
        return null;
    }

    /// <summary>Checks a cross-signing key object and returns its public key.</summary>
    private static string CheckKey(JsonObject json, string type, string userId)
    {
        var where = type + "_key";
        if (KeyJson.RequireString(json, "user_id", where) != userId)
        {
            throw MatrixException.InvalidParam($"{where}.user_id is not your user ID");
        }

        if (json["usage"] is not JsonArray usage || !usage.Any(u => u is JsonValue v && v.TryGetValue<string>(out var s) && s == type))
        {
            throw MatrixException.InvalidParam($"{where}.usage must include {type}");
        }

        if (json["keys"] is not JsonObject keys || keys.Count != 1)
        {
            throw MatrixException.InvalidParam($"{where}.keys must hold exactly one key");
        }

        var (keyId, _) = keys.First();
        var publicKey = keyId.StartsWith("ed25519:", StringComparison.Ordinal) ? keyId["ed25519:".Length..] : null;
        if (publicKey is null || !KeyJson.IsIdentifier(publicKey) || KeyJson.Ed25519Key(json, keyId) is null || KeyJson.String(keys, keyId) != publicKey)
        {
            throw MatrixException.InvalidParam($"{where}.keys must map ed25519:<public key> to the same 32-byte public key");
        }

        if (json["signatures"] is not null and not JsonObject)
        {
            throw MatrixException.BadJson($"{where}.signatures must be a JSON object");
        }

        return publicKey;
    }
}
