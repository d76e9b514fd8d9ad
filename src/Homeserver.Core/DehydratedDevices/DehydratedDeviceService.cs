using System.Globalization;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Devices;
using Homeserver.Core.Errors;
using Homeserver.Core.Keys;
using Homeserver.Core.Sync.Streams;

namespace Homeserver.Core.DehydratedDevices;

/// <summary>
/// Dehydrated devices (MSC3814): a device kept on the server for a user with no client running, which receives the
/// room keys sent to the user until a client fetches them and replaces it. It is an ordinary device to everyone
/// else, whose keys they query and claim and to which they send to-device messages.
/// </summary>
public sealed class DehydratedDeviceService(
    IDehydratedDeviceStore store,
    KeysService keys,
    KeysSyncSource inbox,
    DeviceListUpdates deviceLists,
    StreamPositions positions,
    TimeProvider clock)
{
    /// <summary>The most to-device messages one call of the events endpoint returns.</summary>
    public const int MaxBatch = 100;

    /// <summary>Replaces the user's dehydrated device with a new one, with its keys; returns its device ID.</summary>
    public async Task<string> PutAsync(Session session, string? deviceId, JsonObject? deviceData, string? displayName,
        JsonObject? deviceKeys, JsonObject? oneTimeKeys, JsonObject? fallbackKeys, CancellationToken cancellationToken)
    {
        var id = KeyJson.RequireIdentifier(deviceId ?? throw MatrixException.MissingParam("device_id is required"), "device_id");
        var data = deviceData ?? throw MatrixException.MissingParam("device_data is required");
        DeviceNames.CheckDisplayName(displayName);
        // Checked before the old device is deleted, so that a bad upload leaves it as it was.
        var upload = KeysService.CheckNewDevice(session.UserId, id, deviceKeys ?? throw MatrixException.MissingParam("device_keys is required"), oneTimeKeys, fallbackKeys);

        var device = new DehydratedDevice(id, data.ToJsonString());
        var replaced = await store.ReplaceAsync(session.UserId, device, displayName, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken)
            ?? throw MatrixException.InvalidParam("device_id is the ID of another of your devices");
        await deviceLists.DevicesChangedAsync(session.UserId, replaced, changePerDevice: true, cancellationToken);
        // A crash before this leaves a device without keys, which nobody can encrypt for; the client, never told
        // of success, uploads it again.
        await keys.StoreAsync(upload, cancellationToken);
        return device.DeviceId;
    }

    public async Task<DehydratedDevice> GetAsync(Session session, CancellationToken cancellationToken) =>
        await store.GetAsync(session.UserId, cancellationToken) ?? throw NoDehydratedDevice();

    /// <summary>Deletes the user's dehydrated device; returns its device ID.</summary>
    public async Task<string> DeleteAsync(Session session, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteAsync(session.UserId, cancellationToken) ?? throw NoDehydratedDevice();
        await deviceLists.DevicesChangedAsync(session.UserId, [deleted], changePerDevice: true, cancellationToken);
        return deleted;
    }

    /// <summary>
    /// The dehydrated device's to-device messages after <paramref name="nextBatch"/> (from the first when null).
    /// Unlike <c>/sync</c>, nothing is deleted: if the client rehydrating the device dies, another starts over.
    /// </summary>
    public async Task<DehydratedDeviceEvents> EventsAsync(Session session, string deviceId, string? nextBatch, CancellationToken cancellationToken)
    {
        long since = 0;
        if (nextBatch is not null && !long.TryParse(nextBatch, NumberStyles.None, CultureInfo.InvariantCulture, out since))
        {
            throw MatrixException.InvalidParam("next_batch is not a token this server gave out");
        }

        if ((await store.GetAsync(session.UserId, cancellationToken))?.DeviceId != deviceId)
        {
            throw MatrixException.Forbidden("The device is not your dehydrated device");
        }

        var batch = await inbox.ToDeviceAsync(session.UserId, deviceId, since, positions.Published(StreamName.ToDevice), MaxBatch, cancellationToken);
        return new DehydratedDeviceEvents(batch.Events, batch.Position.ToString(CultureInfo.InvariantCulture));
    }

    private static MatrixException NoDehydratedDevice() => MatrixException.NotFound("No dehydrated device");
}
