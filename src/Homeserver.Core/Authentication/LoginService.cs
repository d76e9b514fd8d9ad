using Homeserver.Core.Accounts;
using Homeserver.Core.Errors;
using Homeserver.Core.Server;
using Homeserver.Protocol.Errors;

namespace Homeserver.Core.Authentication;

/// <summary>Logging in and out (client-server API, "Login" and "Logout").</summary>
public sealed class LoginService(IAccountStore accounts, ISessionStore sessions, ServerIdentity server, TimeProvider clock)
{
    /// <param name="user">A full user ID or just the localpart.</param>
    /// <exception cref="MatrixException"><c>M_FORBIDDEN</c> for a wrong user or password, <c>M_USER_DEACTIVATED</c>.</exception>
    public async Task<LoginResult> LoginWithPasswordAsync(string user, string password, string? deviceId, string? deviceDisplayName, CancellationToken cancellationToken)
    {
        var userId = user.StartsWith('@') ? user : $"@{user}:{server.ServerName}";
        var account = await accounts.GetUserAsync(userId, cancellationToken);
        // The same answer whether the user or the password is wrong, so that accounts cannot be probed.
        if (account?.PasswordHash is null || !await PasswordHasher.VerifyAsync(password, account.PasswordHash))
        {
            throw MatrixException.Forbidden("Invalid user name or password");
        }

        if (account.IsDeactivated)
        {
            throw new MatrixException(ErrorCode.UserDeactivated, 403, "This account has been deactivated");
        }

        return await StartSessionAsync(account.UserId, deviceId, deviceDisplayName, cancellationToken);
    }

    public Task LogoutAsync(Session session, CancellationToken cancellationToken) =>
        sessions.DeleteSessionAsync(session.UserId, session.DeviceId, cancellationToken);

    public Task LogoutAllAsync(Session session, CancellationToken cancellationToken) =>
        sessions.DeleteAllSessionsAsync(session.UserId, cancellationToken);

    /// <summary>Creates (or reuses) the device and issues a new access token for it.</summary>
    public async Task<LoginResult> StartSessionAsync(string userId, string? deviceId, string? deviceDisplayName, CancellationToken cancellationToken)
    {
        deviceId ??= AccessTokens.CreateDeviceId();
        var token = AccessTokens.Create();
        await sessions.CreateSessionAsync(
            new NewSession(userId, deviceId, deviceDisplayName, AccessTokens.Hash(token), clock.GetUtcNow().ToUnixTimeMilliseconds()),
            cancellationToken);
        return new LoginResult(userId, token, deviceId);
    }
}
