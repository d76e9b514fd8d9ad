using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Devices;

namespace Homeserver.Core.Accounts;

/// <summary>Changing the password and deactivating the account (client-server API, "Account management").</summary>
public sealed class AccountManagementService(IAccountStore accounts, IDeviceStore devices, LoginService logins, UserInteractiveAuth uia)
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
            await devices.DeleteDevicesAsync(session.UserId, others, cancellationToken);
        }
    }

    public async Task DeactivateAsync(Session session, JsonObject? auth, CancellationToken cancellationToken)
    {
        await uia.RequireAsync(auth, Flows, (_, stage) => logins.CheckPasswordStageAsync(session.UserId, stage, cancellationToken));
        await accounts.DeactivateAsync(session.UserId, cancellationToken);
    }
}
