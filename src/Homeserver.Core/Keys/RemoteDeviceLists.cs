using System.Text.Json.Nodes;
namespace Homeserver.Core.Keys;

/// <summary>
/// What this server knows of other servers' users' devices (server-server API, "Device Management"). For a user
/// sharing a room with a local user it keeps a copy of their device list, fetched once through
/// <c>user/devices</c> and then kept current by their server's <c>m.device_list_update</c> and
/// <c>m.signing_key_update</c> EDUs; an EDU whose <c>prev_id</c> names an update this server never saw makes the copy
/// stale, and it is fetched again when next asked for. Users sharing no room with a local user send no updates
/// here, so their keys are asked of their server each time.
/// </summary>
public sealed class RemoteDeviceLists(IRemoteDeviceStore store, ISharedRoomUsers sharedRooms, IRemoteKeyQuery remote)
{
    /// <summary>How many users' lists are fetched from one server at a time.</summary>
    private const int ParallelFetches = 4;

    /// <summary>
    /// The keys of other servers' users, by server: from the copies where they are current (first fetching the
    /// missing or stale copies of users sharing a room with a local user), the rest asked of their server with one
    /// <c>user/keys/query</c> each. The database is used before and after the requests, never during them, so that
    /// one unit of work's connection serves it all.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, RemoteKeysAnswer>> QueryAsync(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> byServer, CancellationToken cancellationToken)
    {
        if (byServer.Count == 0)
        {
            return new Dictionary<string, RemoteKeysAnswer>();
        }

        var kept = await sharedRooms.SharingWithLocalUsersAsync([.. byServer.Values.SelectMany(u => u.Keys)], cancellationToken);
        var lists = kept.Count == 0 ? [] : (await store.GetCurrentAsync(kept, cancellationToken)).ToDictionary(l => l.UserId, StringComparer.Ordinal);
        var missing = byServer.SelectMany(s => s.Value.Keys.Where(u => kept.Contains(u) && !lists.ContainsKey(u)).Select(u => (Server: s.Key, UserId: u))).ToList();
        var fetched = new List<RemoteDeviceList>();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = ParallelFetches, CancellationToken = cancellationToken }, async (user, token) =>
        {
            if (await FetchAsync(user.Server, user.UserId, token) is { } list)
            {
                lock (fetched)
                {
                    fetched.Add(list);
                }
            }
        });
        foreach (var list in fetched)
        {
            lists[list.UserId] = list;
        }

        var asked = await Task.WhenAll(byServer.Select(async s =>
        {
            var rest = s.Value.Where(u => !lists.ContainsKey(u.Key)).ToDictionary(u => u.Key, u => u.Value, StringComparer.Ordinal);
            var answer = rest.Count == 0 ? null : await remote.QueryAsync(s.Key, rest, cancellationToken);
            return (Server: s.Key, Answer: answer, Unreachable: rest.Count > 0 && answer is null);
        }));
        foreach (var list in fetched)
        {
            await store.ReplaceAsync(list, cancellationToken);
        }

        return asked.ToDictionary(
            a => a.Server,
            a => new RemoteKeysAnswer(
                [.. byServer[a.Server].Where(u => lists.ContainsKey(u.Key)).Select(u => lists[u.Key] with { Devices = Wanted(lists[u.Key].Devices, u.Value) })],
                a.Answer,
                a.Unreachable),
            StringComparer.Ordinal);
    }

    /// <summary>An <c>m.device_list_update</c> from the user's own server, already checked to share a room with a local user.</summary>
    /// <returns>False when the copy already held the update: nothing changed, and nobody needs telling.</returns>
    public async Task<bool> ReceiveDeviceUpdateAsync(JsonObject content, string userId, CancellationToken cancellationToken)
    {
        if (KeyJson.String(content, "device_id") is not { } deviceId
            || !KeyJson.IsIdentifier(deviceId)
            || content["stream_id"] is not JsonValue streamValue
            || !streamValue.TryGetValue<long>(out var streamId))
        {
            // Something changed, but what cannot be read: the copy is fetched again.
            await store.MarkStaleAsync(userId, cancellationToken);
            return true;
        }

        var prevIds = new List<long>();
        foreach (var prev in content["prev_id"] as JsonArray ?? [])
        {
            if (prev is JsonValue value && value.TryGetValue<long>(out var id))
            {
                prevIds.Add(id);
            }
        }

        string? keysJson = null;
        var deleted = content["deleted"] is JsonValue d && d.TryGetValue<bool>(out var isDeleted) && isDeleted;
        if (!deleted)
        {
            if (content["keys"] is not JsonObject keys || !RemoteKeys.IsOwnDevice(userId, deviceId, keys))
            {
                await store.MarkStaleAsync(userId, cancellationToken);
                return true;
            }

            keysJson = KeyJson.Canonical(KeyJson.WithoutUnsigned(keys));
        }

        var displayName = KeyJson.String(content, "device_display_name");
        var outcome = await store.ApplyAsync(new RemoteDeviceUpdate(userId, deviceId, streamId, prevIds, keysJson, displayName), cancellationToken);
        return outcome != RemoteDeviceUpdateOutcome.AlreadySeen;
    }

    /// <summary>An <c>m.signing_key_update</c> from the user's own server: the copy takes the keys that are the user's.</summary>
    public Task ReceiveSigningKeysAsync(JsonObject content, string userId, CancellationToken cancellationToken)
    {
        var master = RemoteKeys.OwnKeyJson(userId, content["master_key"]);
        var selfSigning = RemoteKeys.OwnKeyJson(userId, content["self_signing_key"]);
        return master is null && selfSigning is null
            ? Task.CompletedTask
            : store.UpdateCrossSigningAsync(userId, master, selfSigning, cancellationToken);
    }

    /// <summary>Stops keeping a copy for a user who shares no room with a local user any more.</summary>
    public Task ForgetAsync(string userId, CancellationToken cancellationToken) => store.ForgetAsync(userId, cancellationToken);

    /// <summary>Fetches the user's list through <c>user/devices</c>; null when the server did not answer usably.</summary>
    private async Task<RemoteDeviceList?> FetchAsync(string serverName, string userId, CancellationToken cancellationToken)
    {
        if (await remote.UserDevicesAsync(serverName, userId, cancellationToken) is not { } answer
            || KeyJson.String(answer, "user_id") != userId
            || answer["stream_id"] is not JsonValue streamValue
            || !streamValue.TryGetValue<long>(out var streamId)
            || answer["devices"] is not JsonArray entries)
        {
            return null;
        }

        var devices = new Dictionary<string, RemoteDevice>(StringComparer.Ordinal);
        foreach (var entry in entries.OfType<JsonObject>())
        {
            // A device whose keys are not its own, or not signed by it, is left out rather than passed on.
            if (KeyJson.String(entry, "device_id") is { } deviceId
                && KeyJson.IsIdentifier(deviceId)
                && entry["keys"] is JsonObject keys
                && RemoteKeys.IsOwnDevice(userId, deviceId, keys))
            {
                devices[deviceId] = new RemoteDevice(deviceId, KeyJson.Canonical(KeyJson.WithoutUnsigned(keys)), KeyJson.String(entry, "device_display_name"));
            }
        }

        var list = new RemoteDeviceList(
            userId,
            streamId,
            [.. devices.Values],
            RemoteKeys.OwnKeyJson(userId, answer["master_key"]),
            RemoteKeys.OwnKeyJson(userId, answer["self_signing_key"]));
        return list;
    }

    private static IReadOnlyList<RemoteDevice> Wanted(IReadOnlyList<RemoteDevice> devices, IReadOnlyList<string> deviceIds) =>
        deviceIds.Count == 0 ? devices : [.. devices.Where(d => deviceIds.Contains(d.DeviceId, StringComparer.Ordinal))];

}
