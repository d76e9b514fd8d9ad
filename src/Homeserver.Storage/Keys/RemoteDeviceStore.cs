using System.Text.Json.Nodes;
using Homeserver.Core.Keys;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Keys;

/// <summary>
/// remote_device_lists, one row per remote user. Writers that change a row read it and write it back only if it is
/// still what they read (its stream ID and staleness): a concurrent fetch or update makes the loser mark the row
/// stale, which costs a fetch and never loses an update.
/// </summary>
internal sealed class RemoteDeviceStore(HomeserverDbContext db) : IRemoteDeviceStore
{
    public async Task<IReadOnlyList<RemoteDeviceList>> GetCurrentAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var rows = await db.RemoteDeviceLists.AsNoTracking()
            .Where(l => userIds.Contains(l.UserId) && !l.IsStale)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new RemoteDeviceList(r.UserId, r.StreamId, ReadDevices(r.DevicesJson), r.MasterKeyJson, r.SelfSigningKeyJson))];
    }

    public async Task ReplaceAsync(RemoteDeviceList list, CancellationToken cancellationToken)
    {
        var devicesJson = WriteDevices(list.Devices);
        var stored = await db.RemoteDeviceLists.AsNoTracking().FirstOrDefaultAsync(l => l.UserId == list.UserId, cancellationToken);
        if (stored is null)
        {
            db.RemoteDeviceLists.Add(new RemoteDeviceListEntity
            {
                UserId = list.UserId, StreamId = list.StreamId, DevicesJson = devicesJson,
                MasterKeyJson = list.MasterKeyJson, SelfSigningKeyJson = list.SelfSigningKeyJson,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (UniqueViolation.Is(e))
            {
                // Another fetch of the same list got there first; theirs is as good as this one.
                db.ChangeTracker.Clear();
            }

            return;
        }

        // A fresh copy already past this list (updates applied since this fetch began) is kept.
        if (!stored.IsStale && stored.StreamId > list.StreamId)
        {
            return;
        }

        await db.RemoteDeviceLists
            .Where(l => l.UserId == list.UserId && l.StreamId == stored.StreamId && l.IsStale == stored.IsStale)
            .ExecuteUpdateAsync(
                u => u.SetProperty(l => l.StreamId, list.StreamId)
                    .SetProperty(l => l.IsStale, false)
                    .SetProperty(l => l.DevicesJson, devicesJson)
                    .SetProperty(l => l.MasterKeyJson, list.MasterKeyJson)
                    .SetProperty(l => l.SelfSigningKeyJson, list.SelfSigningKeyJson),
                cancellationToken);
    }

    public async Task<RemoteDeviceUpdateOutcome> ApplyAsync(RemoteDeviceUpdate update, CancellationToken cancellationToken)
    {
        var stored = await db.RemoteDeviceLists.AsNoTracking().FirstOrDefaultAsync(l => l.UserId == update.UserId, cancellationToken);
        if (stored is null)
        {
            return RemoteDeviceUpdateOutcome.NotKept;
        }

        if (stored.IsStale)
        {
            return RemoteDeviceUpdateOutcome.Gap;
        }

        if (update.StreamId <= stored.StreamId)
        {
            return RemoteDeviceUpdateOutcome.AlreadySeen;
        }

        // The copy holds every update up to its stream ID; one naming no earlier update cannot be placed after it.
        if (update.PrevIds.Count == 0 || update.PrevIds.Any(p => p > stored.StreamId))
        {
            await MarkStaleAsync(update.UserId, cancellationToken);
            return RemoteDeviceUpdateOutcome.Gap;
        }

        var devices = ReadDevices(stored.DevicesJson).Where(d => d.DeviceId != update.DeviceId).ToList();
        if (update.KeysJson is not null)
        {
            devices.Add(new RemoteDevice(update.DeviceId, update.KeysJson, update.DisplayName));
        }

        var devicesJson = WriteDevices(devices);
        var written = await db.RemoteDeviceLists
            .Where(l => l.UserId == update.UserId && l.StreamId == stored.StreamId && !l.IsStale)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.StreamId, update.StreamId).SetProperty(l => l.DevicesJson, devicesJson), cancellationToken);
        if (written == 0)
        {
            await MarkStaleAsync(update.UserId, cancellationToken);
            return RemoteDeviceUpdateOutcome.Gap;
        }

        return RemoteDeviceUpdateOutcome.Applied;
    }

    public Task UpdateCrossSigningAsync(string userId, string? masterKeyJson, string? selfSigningKeyJson, CancellationToken cancellationToken) =>
        db.RemoteDeviceLists
            .Where(l => l.UserId == userId)
            .ExecuteUpdateAsync(
                u => u.SetProperty(l => l.MasterKeyJson, l => masterKeyJson ?? l.MasterKeyJson)
                    .SetProperty(l => l.SelfSigningKeyJson, l => selfSigningKeyJson ?? l.SelfSigningKeyJson),
                cancellationToken);

    public Task MarkStaleAsync(string userId, CancellationToken cancellationToken) =>
        db.RemoteDeviceLists.Where(l => l.UserId == userId).ExecuteUpdateAsync(u => u.SetProperty(l => l.IsStale, true), cancellationToken);

    public Task ForgetAsync(string userId, CancellationToken cancellationToken) =>
        db.RemoteDeviceLists.Where(l => l.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    private static List<RemoteDevice> ReadDevices(string json) =>
        [.. JsonNode.Parse(json)!.AsObject().Select(d => new RemoteDevice(
            d.Key,
            d.Value!["keys"]!.ToJsonString(),
            d.Value["device_display_name"]?.GetValue<string>()))];

    private static string WriteDevices(IEnumerable<RemoteDevice> devices)
    {
        var json = new JsonObject();
        foreach (var device in devices)
        {
            var entry = new JsonObject { ["keys"] = JsonNode.Parse(device.KeysJson) };
            if (device.DisplayName is not null)
            {
                entry["device_display_name"] = device.DisplayName;
            }

            json[device.DeviceId] = entry;
        }

        return json.ToJsonString();
    }
}
