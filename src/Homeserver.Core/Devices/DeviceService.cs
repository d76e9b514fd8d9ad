using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Keys;

namespace Homeserver.Core.Devices;

/// <summary>Device management (client-server API, "Device management"): list, rename and delete devices.</summary>
public sealed class DeviceService(IDeviceStore devices, IDeviceKeyStore keys, LoginService logins, UserInteractiveAuth uia, DeviceListUpdates deviceLists)
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> DeleteFlows = [[UserInteractiveAuth.Password]];

    public Task<IReadOnlyList<Device>> ListAsync(Session session, CancellationToken cancellationToken) =>
        devices.ListDevicesAsync(session.UserId, cancellationToken);

    public async Task<Device> GetAsync(Session session, string deviceId, CancellationToken cancellationToken) =>
        await devices.GetDeviceAsync(session.UserId, deviceId, cancellationToken) ?? throw NoSuchDevice();

    public async Task RenameAsync(Session session, string deviceId, string? displayName, CancellationToken cancellationToken)
    {
        DeviceNames.CheckDisplayName(displayName);
        var found = displayName is null
            ? await devices.GetDeviceAsync(session.UserId, deviceId, cancellationToken) is not null
            : await devices.RenameDeviceAsync(session.UserId, deviceId, displayName, cancellationToken);
        if (!found)
        {
            throw NoSuchDevice();
        }

        // The display name is part of what other users and servers see of a device (spec, "Device Management").
        if (displayName is not null)
        {
            await keys.RecordChangeAsync(session.UserId, cancellationToken);
            await deviceLists.DevicesChangedAsync(session.UserId, [deviceId], changePerDevice: true, cancellationToken);
        }
    }

    /// <summary>Deletes devices after the user has confirmed their password; unknown device IDs are ignored.</summary>
    public async Task DeleteAsync(Session session, IReadOnlyCollection<string> deviceIds, JsonObject? auth, CancellationToken cancellationToken)
    {
        await uia.RequireAsync(auth, DeleteFlows, (_, stage) => logins.CheckPasswordStageAsync(session.UserId, stage, cancellationToken));
        var deleted = await devices.DeleteDevicesAsync(session.UserId, deviceIds, cancellationToken);
        await deviceLists.DevicesChangedAsync(session.UserId, deleted, changePerDevice: true, cancellationToken);
    }

    private static MatrixException NoSuchDevice() => MatrixException.NotFound("No such device");
}
