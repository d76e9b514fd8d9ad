using System.Text.Json.Nodes;
using Homeserver.Core.Keys;
using Homeserver.Core.Sync.Streams;

namespace Homeserver.Core.Sync;

/// <summary>
/// The end-to-end encryption parts of <c>/sync</c>: to-device messages (deleted once a later token acknowledges
/// them), device-list changes of users who share a room (and of those who stopped sharing one), one-time key counts and unused fallback key types.
/// </summary>
public sealed class KeysSyncExtension(KeysSyncSource keys, DeviceListChanges deviceLists, ToDeviceAcknowledgements acknowledged) : ISyncExtension
{
    private const int ToDeviceLimit = 100;

    public async Task<bool> AddAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var (userId, deviceId) = (context.Session.UserId, context.Session.DeviceId);
        var added = false;
        var toDeviceSince = context.Since?[StreamName.ToDevice] ?? 0;
        if (acknowledged.Advance(userId, deviceId, toDeviceSince))
        {
            await keys.DeleteToDeviceUpToAsync(userId, deviceId, toDeviceSince, cancellationToken);
        }

        var batch = toDeviceSince >= context.UpTo[StreamName.ToDevice]
            ? new ToDevice.ToDeviceBatch([], toDeviceSince)
            : await keys.ToDeviceAsync(userId, deviceId, toDeviceSince, context.UpTo[StreamName.ToDevice], ToDeviceLimit, cancellationToken);
        if (batch.Events.Count > 0)
        {
            context.Response["to_device"] = new JsonObject { ["events"] = new JsonArray([.. batch.Events]) };
            added = true;
        }

        if (batch.Position != context.UpTo[StreamName.ToDevice])
        {
            // The limit cut the batch short: the next sync continues from the last message sent.
            var positions = context.UpTo.Positions.ToArray();
            positions[(int)StreamName.ToDevice] = batch.Position;
            context.Response["next_batch"] = new SyncToken(positions).ToString();
        }

        if (context.Since is { } since)
        {
            var lists = await deviceLists.BetweenAsync(
                userId,
                (since[StreamName.Events], since[StreamName.DeviceLists]),
                (context.UpTo[StreamName.Events], context.UpTo[StreamName.DeviceLists]),
                [.. context.Memberships.Select(m => m.RoomNid)],
                cancellationToken);
            if (lists.Changed.Count > 0 || lists.Left.Count > 0)
            {
                context.Response["device_lists"] = new JsonObject
                {
                    ["changed"] = new JsonArray([.. lists.Changed.Select(u => (JsonNode)u)]),
                    ["left"] = new JsonArray([.. lists.Left.Select(u => (JsonNode)u)]),
                };
                added = true;
            }
        }

        var status = await keys.OneTimeKeyStatusAsync(userId, deviceId, cancellationToken);
        var counts = new JsonObject();
        foreach (var (algorithm, count) in status.Counts)
        {
            counts[algorithm] = count;
        }

        // Reported on every sync, but not news in themselves: they do not end a long-poll.
        context.Response["device_one_time_keys_count"] = counts;
        context.Response["device_unused_fallback_key_types"] = new JsonArray([.. status.UnusedFallbackAlgorithms.Select(a => (JsonNode)a)]);
        return added;
    }
}
