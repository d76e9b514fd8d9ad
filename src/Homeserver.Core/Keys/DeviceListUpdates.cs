using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Keys;

/// <summary>
/// Who hears of a user's new, changed or deleted devices and cross-signing keys (server-server API, "Device
/// Management"): the local users sharing a room with them, through <c>/sync</c>'s <c>device_lists</c>, and the other
/// servers in those rooms, through <c>m.device_list_update</c> and <c>m.signing_key_update</c> EDUs. And what other
/// servers tell us of their users' devices: kept in <see cref="RemoteDeviceLists"/>' copies and recorded as changes, so
/// that local clients query the keys again.
/// </summary>
public sealed class DeviceListUpdates(
    IDeviceKeyStore keys,
    ICrossSigningStore crossSigning,
    ISharedRoomUsers sharedRooms,
    EduSender edus,
    RemoteDeviceLists remoteDevices,
    SyncNotifier notifier,
    ServerIdentity server)
{
    public const string DeviceListUpdate = "m.device_list_update";
    public const string SigningKeyUpdate = "m.signing_key_update";

    /// <summary>After the devices' keys or signatures changed, or the devices were deleted: one EDU per device.</summary>
    /// <param name="changePerDevice">
    /// Whether the store recorded one change for each of <paramref name="deviceIds"/>, in that order; their stream
    /// positions are then the EDUs' stream IDs.
    /// </param>
    public async Task DevicesChangedAsync(string userId, IReadOnlyList<string> deviceIds, bool changePerDevice, CancellationToken cancellationToken)
    {
        if (deviceIds.Count == 0)
        {
            return;
        }

        var sharing = await TellLocalUsersAsync(userId, cancellationToken);
        if (sharing.All(server.IsLocal))
        {
            return;
        }

        // The user's latest changes are these devices', newest last; each EDU names the change before it as its
        // prev_id, so a server that missed one sees the gap and fetches the whole list again.
        var latest = await keys.LatestChangePositionsAsync(userId, deviceIds.Count + 1, cancellationToken);
        var published = (await keys.GetDeviceKeysAsync(userId, deviceIds, cancellationToken)).ToDictionary(d => d.DeviceId, StringComparer.Ordinal);
        var signatures = await PublishedKeys.OwnSignaturesAsync(crossSigning, userId, cancellationToken);
        var updates = new List<(string, JsonObject)>();
        for (var i = 0; i < deviceIds.Count; i++)
        {
            var index = deviceIds.Count - 1 - i;
            // Without a change of its own, an EDU has no place in the sequence and starts a new one instead.
            var sequenced = changePerDevice && latest.Count >= deviceIds.Count;
            var content = new JsonObject
            {
                ["user_id"] = userId,
                ["device_id"] = deviceIds[i],
                ["stream_id"] = sequenced ? latest[index] : (latest.Count > 0 ? latest[0] : 0),
                ["prev_id"] = sequenced && index + 1 < latest.Count ? new JsonArray(latest[index + 1]) : new JsonArray(),
            };
            if (published.TryGetValue(deviceIds[i], out var device))
            {
                content["keys"] = PublishedKeys.Device(device, signatures);
                if (device.DisplayName is not null)
                {
                    content["device_display_name"] = device.DisplayName;
                }
            }
            else
            {
                content["deleted"] = true;
            }

            updates.Add((DeviceListUpdate, content));
        }

        await edus.QueueToServersOfAsync(sharing, updates, cancellationToken);
    }

    /// <summary>After the user's cross-signing keys (or the signatures on them) changed.</summary>
    public async Task SigningKeysChangedAsync(string userId, CancellationToken cancellationToken)
    {
        var sharing = await TellLocalUsersAsync(userId, cancellationToken);
        if (sharing.All(server.IsLocal))
        {
            return;
        }

        var signatures = await PublishedKeys.OwnSignaturesAsync(crossSigning, userId, cancellationToken);
        var content = new JsonObject { ["user_id"] = userId };
        foreach (var key in await crossSigning.GetKeysAsync([userId], cancellationToken))
        {
            if (key.KeyType == CrossSigningKeyTypes.Master)
            {
                content["master_key"] = PublishedKeys.CrossSigning(key, signatures);
            }
            else if (key.KeyType == CrossSigningKeyTypes.SelfSigning)
            {
                content["self_signing_key"] = PublishedKeys.CrossSigning(key, signatures);
            }
        }

        await edus.QueueToServersOfAsync(sharing, [(SigningKeyUpdate, content)], cancellationToken);
    }

    /// <summary>
    /// An <c>m.device_list_update</c> or <c>m.signing_key_update</c> (<paramref name="type"/>) from
    /// <paramref name="origin"/>: applied to the copy of the user's device list, and recorded as a change so that the
    /// local users sharing a room with the user query the keys again. Ignored when the user is not the origin's; for
    /// a user sharing no room with a local user, the copy is dropped, since no more updates will come.
    /// </summary>
    public async Task ReceiveAsync(string origin, string type, JsonObject content, CancellationToken cancellationToken)
    {
        if (KeyJson.String(content, "user_id") is not { } userId
            || !UserId.TryParse(userId, out var id)
            || id.Server.Value != origin
            || !KeyJson.IsIdentifier(userId))
        {
            return;
        }

        var local = (await sharedRooms.UsersSharingRoomsWithAsync(userId, cancellationToken)).Where(server.IsLocal).ToList();
        if (local.Count == 0)
        {
            await remoteDevices.ForgetAsync(userId, cancellationToken);
            return;
        }

        if (type == DeviceListUpdate)
        {
            if (!await remoteDevices.ReceiveDeviceUpdateAsync(content, userId, cancellationToken))
            {
                return;
            }
        }
        else
        {
            await remoteDevices.ReceiveSigningKeysAsync(content, userId, cancellationToken);
        }

        await keys.RecordChangeAsync(userId, cancellationToken);
        notifier.NotifyUsers(local);
    }

    /// <summary>Wakes the local users sharing a room with the user; returns everyone sharing one.</summary>
    private async Task<IReadOnlySet<string>> TellLocalUsersAsync(string userId, CancellationToken cancellationToken)
    {
        var sharing = await sharedRooms.UsersSharingRoomsWithAsync(userId, cancellationToken);
        notifier.NotifyUsers(sharing.Where(server.IsLocal));
        return sharing;
    }

}
