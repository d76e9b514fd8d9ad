using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Devices;
using Homeserver.Core.Keys;

namespace Homeserver.Core.Accounts;

/// <summary>Changing the password and deactivating the account (client-server API, "Account management").</summary>
public sealed class AccountManagementService(IAccountStore accounts, IDeviceStore devices, LoginService logins, UserInteractiveAuth uia, DeviceListUpdates deviceLists)
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> Flows = [[UserInteractiveAuth.Password]];

    /// <param name="logoutDevices">End every other session, as the spec's default asks.</param>
    public async Task ChangePasswordAsync(Session session, string newPassword, bool logoutDevices, JsonObject? auth, CancellationToken cancellationToken)
    {
        await uia.RequireAsync(auth, Flows, (_, stage) => logins.CheckPasswordStageAsync(session.UserId, stage, cancellationToken));
        await accounts.SetPasswordHashAsync(session.UserId, await PasswordHasher.HashAsync(newPassword), cancellationToken);
        if (logoutDevices)
        {
            var others = (await devices.ListDevicesAsync(session.UserId, cancellationToken))
                .Select(d => d.DeviceId)
                .Where(id => id != session.DeviceId)
                .ToList();
            await deviceLists.DevicesChangedAsync(session.UserId, await devices.DeleteDevicesAsync(session.UserId, others, cancellationToken), changePerDevice: true, cancellationToken);
        }
    }

    public async Task DeactivateAsync(Session session, JsonObject? auth, CancellationToken cancellationToken)
    {
        await uia.RequireAsync(auth, Flows, (_, stage) => logins.CheckPasswordStageAsync(session.UserId, stage, cancellationToken));
        // The devices go first, with their keys, so that other users and servers stop encrypting for them.
        var all = (await devices.ListDevicesAsync(session.UserId, cancellationToken)).Select(d => d.DeviceId).ToList();
        await deviceLists.DevicesChangedAsync(session.UserId, await devices.DeleteDevicesAsync(session.UserId, all, cancellationToken), changePerDevice: true, cancellationToken);
        await accounts.DeactivateAsync(session.UserId, cancellationToken);
    }
}
