using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Server;
using Homeserver.Core.Sync;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Keys;

/// <summary>
/// Device keys (client-server API, "End-to-End Encryption", "Key management API"): <c>/keys/upload</c>,
/// <c>/keys/query</c>, <c>/keys/claim</c> and <c>/keys/changes</c>.
/// </summary>
public sealed class KeysService(
    IDeviceKeyStore keys,
    ICrossSigningStore crossSigning,
    IRemoteKeyQuery remote,
    ServerIdentity server,
    StreamPositions positions,
    DeviceListUpdates deviceLists,
    DeviceListChanges deviceListChanges,
    RemoteDeviceLists remoteDevices)
{
    private const string SignedPrefix = "signed_";

    public async Task<IReadOnlyDictionary<string, int>> UploadAsync(Session session, JsonObject? deviceKeys, JsonObject? oneTimeKeys, JsonObject? fallbackKeys, CancellationToken cancellationToken)
    {
        var (userId, deviceId) = (session.UserId, session.DeviceId);
        var hasKeys = oneTimeKeys is { Count: > 0 } || fallbackKeys is { Count: > 0 };
        string? storedJson = deviceKeys is not null || hasKeys ? await keys.GetDeviceKeysAsync(userId, deviceId, cancellationToken) : null;
        var upload = Check(userId, deviceId, storedJson is null ? null : JsonNode.Parse(storedJson)!.AsObject(), deviceKeys, oneTimeKeys, fallbackKeys);
        if (upload.OneTimeKeys.Count > 0)
        {
            var held = await keys.GetOneTimeKeysAsync(userId, deviceId, [.. upload.OneTimeKeys.Select(k => k.FullKeyId)], cancellationToken);
            if (upload.OneTimeKeys.FirstOrDefault(k => held.TryGetValue(k.FullKeyId, out var json) && json != k.Json) is { } clash)
            {
                throw MatrixException.InvalidParam($"The one-time key {clash.FullKeyId} was uploaded before with other content");
            }
        }

        await StoreAsync(upload, cancellationToken);
        return (await keys.GetOneTimeKeyStatusAsync(userId, deviceId, cancellationToken)).Counts;
    }

    /// <summary>
    /// Checks the keys of a device that has none stored yet (a dehydrated device) as <c>/keys/upload</c> checks a
    /// session's, so that they can be checked before anything is changed and stored after.
    /// </summary>
    public static DeviceKeysUpload CheckNewDevice(string userId, string deviceId, JsonObject deviceKeys, JsonObject? oneTimeKeys, JsonObject? fallbackKeys) =>
        Check(userId, deviceId, stored: null, deviceKeys, oneTimeKeys, fallbackKeys);

    /// <summary>Stores checked keys; new or changed device keys are a device-list change.</summary>
    public async Task StoreAsync(DeviceKeysUpload upload, CancellationToken cancellationToken)
    {
        if (await keys.UploadAsync(upload, cancellationToken))
        {
            await deviceLists.DevicesChangedAsync(upload.UserId, [upload.DeviceId], changePerDevice: true, cancellationToken);
        }
    }

    /// <summary>The checks of an upload that need nothing from the store but the device keys already published.</summary>
    private static DeviceKeysUpload Check(string userId, string deviceId, JsonObject? stored, JsonObject? deviceKeys, JsonObject? oneTimeKeys, JsonObject? fallbackKeys)
    {
        string? deviceKeysJson = null;
        var signingKey = stored is null ? null : KeyJson.Ed25519Key(stored, "ed25519:" + deviceId);
        if (deviceKeys is not null)
        {
            signingKey = CheckDeviceKeys(userId, deviceId, deviceKeys);
            // Identity keys are the device: a device with new ones is a new device, and must log in as one.
            if (stored is not null && KeyJson.Canonical(stored["keys"]!) != KeyJson.Canonical(deviceKeys["keys"]!))
            {
                throw MatrixException.InvalidParam("The identity keys of this device are already published and cannot change; log in as a new device");
            }

            deviceKeysJson = KeyJson.Canonical(KeyJson.WithoutUnsigned(deviceKeys));
        }

        var oneTime = ParseKeys(oneTimeKeys, "one_time_keys", userId, deviceId, signingKey);
        var fallback = ParseKeys(fallbackKeys, "fallback_keys", userId, deviceId, signingKey);
        if (fallback.GroupBy(k => k.Algorithm, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            throw MatrixException.InvalidParam("fallback_keys holds at most one key per algorithm");
        }

        return new DeviceKeysUpload(userId, deviceId, deviceKeysJson, oneTime, fallback);
    }

    public async Task<KeysQueryResult> QueryAsync(Session session, IReadOnlyDictionary<string, IReadOnlyList<string>> query, CancellationToken cancellationToken)
    {
        var (local, remoteByServer) = SplitByServer(query);
        var result = new KeysQueryResult([], [], [], [], []);
        await AddLocalKeysAsync(result, local, session.UserId, cancellationToken);
        foreach (var (serverName, answer) in await remoteDevices.QueryAsync(remoteByServer, cancellationToken))
        {
            if (answer.Unreachable)
            {
                result.Failures[serverName] = Unreachable();
            }

            foreach (var list in answer.Known)
            {
                AddKnownKeys(result, list);
            }

            if (answer.Asked is { } asked)
            {
                MergeUsers(result.DeviceKeys, asked["device_keys"], serverName, OwnDevices);
                MergeUsers(result.MasterKeys, asked["master_keys"], serverName, OwnKey);
                MergeUsers(result.SelfSigningKeys, asked["self_signing_keys"], serverName, OwnKey);
            }
        }

        return result;
    }

    /// <summary>
    /// <c>POST /_matrix/federation/v1/user/keys/query</c>: the keys of this server's users asked for by another
    /// server. Its users' own user-signing keys, and who they verified, stay private.
    /// </summary>
    public async Task<JsonObject> QueryForServerAsync(IReadOnlyDictionary<string, IReadOnlyList<string>> query, CancellationToken cancellationToken)
    {
        var result = new KeysQueryResult([], [], [], [], []);
        await AddLocalKeysAsync(result, SplitByServer(query).Local, requesterUserId: null, cancellationToken);
        return new JsonObject { ["device_keys"] = result.DeviceKeys, ["master_keys"] = result.MasterKeys, ["self_signing_keys"] = result.SelfSigningKeys };
    }

    public async Task<KeysClaimResult> ClaimAsync(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> claims, CancellationToken cancellationToken)
    {
        var (local, remoteByServer) = SplitByServer(claims);
        var answers = Task.WhenAll(remoteByServer.Select(async r => (Server: r.Key, Answer: await remote.ClaimAsync(r.Key, r.Value, cancellationToken))));
        var result = new KeysClaimResult(await ClaimLocalAsync(local, cancellationToken), []);
        foreach (var (serverName, answer) in await answers)
        {
            if (answer is null)
            {
                result.Failures[serverName] = Unreachable();
                continue;
            }

            MergeUsers(result.OneTimeKeys, answer["one_time_keys"], serverName, (_, keys) => keys as JsonObject);
        }

        return result;
    }

    /// <summary><c>POST /_matrix/federation/v1/user/keys/claim</c>: one-time keys of this server's users.</summary>
    public async Task<JsonObject> ClaimForServerAsync(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> claims, CancellationToken cancellationToken) =>
        new() { ["one_time_keys"] = await ClaimLocalAsync(SplitByServer(claims).Local, cancellationToken) };

    /// <summary>
    /// <c>GET /_matrix/federation/v1/user/devices/{userId}</c>: a local user's devices with their keys, and the
    /// stream ID of the latest change, which the user's <c>m.device_list_update</c> EDUs continue from.
    /// </summary>
    /// <exception cref="MatrixException">400 when the user is not one of this server's.</exception>
    public async Task<JsonObject> UserDevicesAsync(string userId, CancellationToken cancellationToken)
    {
        if (!UserId.TryParse(userId, out var id) || id.Server.Value != server.ServerName)
        {
            throw MatrixException.InvalidParam("The user is not a user of this server");
        }

        var signatures = await PublishedKeys.OwnSignaturesAsync(crossSigning, userId, cancellationToken);
        var devices = new JsonArray();
        foreach (var device in await keys.GetDeviceKeysAsync(userId, [], cancellationToken))
        {
            var entry = new JsonObject { ["device_id"] = device.DeviceId, ["keys"] = PublishedKeys.Device(device, signatures) };
            if (device.DisplayName is not null)
            {
                entry["device_display_name"] = device.DisplayName;
            }

            devices.Add(entry);
        }

        var answer = new JsonObject
        {
            ["user_id"] = userId,
            ["stream_id"] = await keys.LatestChangePositionsAsync(userId, 1, cancellationToken) is [var latest] ? latest : 0,
            ["devices"] = devices,
        };
        foreach (var key in await crossSigning.GetKeysAsync([userId], cancellationToken))
        {
            if (key.KeyType == CrossSigningKeyTypes.Master)
            {
                answer["master_key"] = PublishedKeys.CrossSigning(key, signatures);
            }
            else if (key.KeyType == CrossSigningKeyTypes.SelfSigning)
            {
                answer["self_signing_key"] = PublishedKeys.CrossSigning(key, signatures);
            }
        }

        return answer;
    }

    /// <param name="requesterUserId">The local user asking; null for another server, which sees no user-signing keys.</param>
    private async Task AddLocalKeysAsync(KeysQueryResult result, Dictionary<string, IReadOnlyList<string>> local, string? requesterUserId, CancellationToken cancellationToken)
    {
        if (local.Count == 0)
        {
            return;
        }

        var userIds = local.Keys.ToList();
        var signatures = (await crossSigning.GetSignaturesAsync(userIds, cancellationToken))
            .ToLookup(s => (s.TargetUserId, s.TargetKeyId));
        foreach (var (userId, deviceIds) in local)
        {
            var devices = new JsonObject();
            var wanted = deviceIds.Where(KeyJson.IsIdentifier).ToList();
            var found = deviceIds.Count > 0 && wanted.Count == 0 ? [] : await keys.GetDeviceKeysAsync(userId, wanted, cancellationToken);
            foreach (var device in found)
            {
                var json = JsonNode.Parse(device.Json)!.AsObject();
                // Only the owner signs their devices (with their self-signing key).
                KeyJson.AddSignatures(json, signatures[(userId, device.DeviceId)].Where(s => s.SignerUserId == userId));
                if (device.DisplayName is not null)
                {
                    json["unsigned"] = new JsonObject { ["device_display_name"] = device.DisplayName };
                }

                devices[device.DeviceId] = json;
            }

            result.DeviceKeys[userId] = devices;
        }

        foreach (var key in await crossSigning.GetKeysAsync(userIds, cancellationToken))
        {
            var json = JsonNode.Parse(key.Json)!.AsObject();
            switch (key.KeyType)
            {
                case CrossSigningKeyTypes.Master:
                    // Who verified whom is private: a user sees the owner's signatures and their own, no one else's.
                    KeyJson.AddSignatures(json, signatures[(key.UserId, key.PublicKey)]
                        .Where(s => s.SignerUserId == key.UserId || s.SignerUserId == requesterUserId));
                    result.MasterKeys[key.UserId] = json;
                    break;
                case CrossSigningKeyTypes.SelfSigning:
                    result.SelfSigningKeys[key.UserId] = json;
                    break;
                case CrossSigningKeyTypes.UserSigning when key.UserId == requesterUserId:
                    result.UserSigningKeys[key.UserId] = json;
                    break;
                default:
                    break;
            }
        }
    }

    private async Task<JsonObject> ClaimLocalAsync(Dictionary<string, IReadOnlyDictionary<string, string>> local, CancellationToken cancellationToken)
    {
        var result = new JsonObject();
        foreach (var (userId, devices) in local)
        {
            var claimed = new JsonObject();
            foreach (var (deviceId, algorithm) in devices)
            {
                if (!KeyJson.IsIdentifier(deviceId) || !KeyJson.IsIdentifier(algorithm))
                {
                    continue;
                }

                if (await keys.ClaimAsync(userId, deviceId, algorithm, cancellationToken) is { } key)
                {
                    claimed[deviceId] = new JsonObject { [key.FullKeyId] = JsonNode.Parse(key.Json) };
                }
            }

            if (claimed.Count > 0)
            {
                result[userId] = claimed;
            }
        }

        return result;
    }

    /// <summary>
    /// Users sharing a room with the caller whose device lists changed between two <c>/sync</c> tokens, and those who
    /// stopped sharing one.
    /// </summary>
    public Task<KeysChangesResult> ChangesAsync(Session session, string? from, string? to, CancellationToken cancellationToken)
    {
        if (from is null)
        {
            throw MatrixException.MissingParam("'from' is required");
        }

        var since = DeviceListToken(from, "from");

        var upTo = (Events: positions.Published(StreamName.Events), DeviceLists: positions.Published(StreamName.DeviceLists));
        if (to is not null)
        {
            var requested = DeviceListToken(to, "to");
            upTo = (Math.Min(requested[StreamName.Events], upTo.Events), Math.Min(requested[StreamName.DeviceLists], upTo.DeviceLists));
        }

        return deviceListChanges.BetweenAsync(session.UserId, (since[StreamName.Events], since[StreamName.DeviceLists]), upTo, null, cancellationToken);
    }

    /// <summary>A <c>/sync</c> token that reaches as far as the device-list stream (shorter ones predate it).</summary>
    private static SyncToken DeviceListToken(string value, string name) =>
        SyncToken.TryParse(value, out var token) && value.Split('_').Length > (int)StreamName.DeviceLists
            ? token
            : throw MatrixException.InvalidParam($"'{name}' is not a sync token");

    /// <summary>Checks device keys as the spec requires them and returns the device's Ed25519 key.</summary>
    private static byte[] CheckDeviceKeys(string userId, string deviceId, JsonObject deviceKeys)
    {
        const string where = "device_keys";
        if (KeyJson.RequireString(deviceKeys, "user_id", where) != userId)
        {
            throw MatrixException.InvalidParam("device_keys.user_id is not the user uploading them");
        }

        if (KeyJson.RequireString(deviceKeys, "device_id", where) != deviceId)
        {
            throw MatrixException.InvalidParam("device_keys.device_id is not the device they are uploaded for");
        }

        if (deviceKeys["algorithms"] is not JsonArray algorithms || !algorithms.All(a => a is JsonValue v && v.TryGetValue<string>(out var s) && KeyJson.IsIdentifier(s)))
        {
            throw MatrixException.BadJson("device_keys.algorithms must be a list of algorithm names");
        }

        var published = KeyJson.RequireObject(deviceKeys["keys"], "device_keys.keys");
        if (published.Count == 0 || !published.All(k => k.Key.Contains(':', StringComparison.Ordinal) && k.Value is JsonValue v && v.TryGetValue<string>(out _)))
        {
            throw MatrixException.BadJson("device_keys.keys must map algorithm:device_id to keys");
        }

        var keyId = "ed25519:" + deviceId;
        var signingKey = KeyJson.Ed25519Key(deviceKeys, keyId)
            ?? throw MatrixException.InvalidParam($"device_keys.keys must hold the device's Ed25519 key as {keyId}");
        if (deviceKeys["signatures"] is not JsonObject)
        {
            throw MatrixException.BadJson("device_keys.signatures must be a JSON object");
        }

        return KeyJson.Verify(deviceKeys, userId, keyId, signingKey)
            ? signingKey
            : throw new MatrixException(ErrorCode.InvalidSignature, 400, "device_keys is not signed by the device's Ed25519 key");
    }

    /// <summary>Checks one-time or fallback keys: <c>algorithm:keyId</c> names, and signed keys signed by the device.</summary>
    private static List<OneTimeKey> ParseKeys(JsonObject? keysObject, string field, string userId, string deviceId, byte[]? signingKey)
    {
        var parsed = new List<OneTimeKey>();
        foreach (var (name, value) in keysObject ?? [])
        {
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !KeyJson.IsIdentifier(name[..colon]) || !KeyJson.IsIdentifier(name[(colon + 1)..]))
            {
                throw MatrixException.InvalidParam($"{field}: '{name}' is not algorithm:key_id");
            }

            var algorithm = name[..colon];
            var signed = algorithm.StartsWith(SignedPrefix, StringComparison.Ordinal);
            switch (value)
            {
                case JsonValue text when !signed && text.TryGetValue<string>(out _):
                    break;
                case JsonObject key when KeyJson.String(key, "key") is not null:
                    if (signed)
                    {
                        if (signingKey is null)
                        {
                            throw MatrixException.InvalidParam($"{field}: upload the device keys before signed keys");
                        }

                        if (!KeyJson.Verify(key, userId, "ed25519:" + deviceId, signingKey))
                        {
                            throw new MatrixException(ErrorCode.InvalidSignature, 400, $"{field}: {name} is not signed by the device's Ed25519 key");
                        }
                    }

                    break;
                default:
                    throw MatrixException.BadJson($"{field}: {name} must be a key string or an object with a 'key'");
            }

            parsed.Add(new OneTimeKey(algorithm, name[(colon + 1)..], KeyJson.Canonical(value)));
        }

        return parsed;
    }

    /// <summary>Splits a request keyed by user ID into local users and, per remote server, theirs; invalid IDs are dropped.</summary>
    private (Dictionary<string, T> Local, Dictionary<string, IReadOnlyDictionary<string, T>> Remote) SplitByServer<T>(IReadOnlyDictionary<string, T> byUser)
    {
        var local = new Dictionary<string, T>(StringComparer.Ordinal);
        var remoteUsers = new Dictionary<string, Dictionary<string, T>>(StringComparer.Ordinal);
        foreach (var (user, value) in byUser)
        {
            if (!UserId.TryParse(user, out var id) || !KeyJson.IsIdentifier(user))
            {
                continue;
            }

            if (id.Server.Value == server.ServerName)
            {
                local[user] = value;
            }
            else
            {
                if (!remoteUsers.TryGetValue(id.Server.Value, out var users))
                {
                    remoteUsers[id.Server.Value] = users = new Dictionary<string, T>(StringComparer.Ordinal);
                }

                users[user] = value;
            }
        }

        return (local, remoteUsers.ToDictionary(r => r.Key, r => (IReadOnlyDictionary<string, T>)r.Value, StringComparer.Ordinal));
    }

    private static JsonObject Unreachable() => new() { ["status"] = 503, ["message"] = "The server could not be reached" };

    /// <summary>
    /// Copies a remote server's answer for its own users only, each entry as <paramref name="accept"/> passes it: a
    /// server speaks for its users, never for another server's.
    /// </summary>
    private static void MergeUsers(JsonObject into, JsonNode? from, string serverName, Func<string, JsonNode?, JsonObject?> accept)
    {
        if (from is not JsonObject entries)
        {
            return;
        }

        foreach (var (userId, value) in entries)
        {
            if (UserId.TryParse(userId, out var id) && id.Server.Value == serverName && accept(userId, value) is { } accepted)
            {
                into[userId] = accepted.DeepClone();
            }
        }
    }

    /// <summary>The devices whose keys name the user and the device they are listed under, signed by that device.</summary>
    private static JsonObject? OwnDevices(string userId, JsonNode? devices)
    {
        if (devices is not JsonObject byDevice)
        {
            return null;
        }

        var own = new JsonObject();
        foreach (var (deviceId, keys) in byDevice)
        {
            if (keys is JsonObject json && RemoteKeys.IsOwnDevice(userId, deviceId, json))
            {
                own[deviceId] = json.DeepClone();
            }
        }

        return own;
    }

    /// <summary>A remote user's keys from this server's copy of their device list, shaped as <c>/keys/query</c> answers.</summary>
    private static void AddKnownKeys(KeysQueryResult result, RemoteDeviceList list)
    {
        var devices = new JsonObject();
        foreach (var device in list.Devices)
        {
            var json = JsonNode.Parse(device.KeysJson)!.AsObject();
            if (device.DisplayName is not null)
            {
                json["unsigned"] = new JsonObject { ["device_display_name"] = device.DisplayName };
            }

            devices[device.DeviceId] = json;
        }

        result.DeviceKeys[list.UserId] = devices;
        if (list.MasterKeyJson is not null)
        {
            result.MasterKeys[list.UserId] = JsonNode.Parse(list.MasterKeyJson);
        }

        if (list.SelfSigningKeyJson is not null)
        {
            result.SelfSigningKeys[list.UserId] = JsonNode.Parse(list.SelfSigningKeyJson);
        }
    }

    private static JsonObject? OwnKey(string userId, JsonNode? key) =>
        key is JsonObject json && KeyJson.String(json, "user_id") == userId ? json : null;
}
