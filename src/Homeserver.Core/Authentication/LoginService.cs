using System.Text.Json.Nodes;
using Homeserver.Core.Accounts;
using Homeserver.Core.Devices;
using Homeserver.Core.Errors;
using Homeserver.Core.Keys;
using Homeserver.Core.Server;
using Homeserver.Protocol.Errors;

namespace Homeserver.Core.Authentication;

/// <summary>Logging in and out (client-server API, "Login" and "Logout").</summary>
public sealed class LoginService(IAccountStore accounts, ISessionStore sessions, DeviceListUpdates deviceLists, ServerIdentity server, SessionPolicy policy, TimeProvider clock)
{
    /// <param name="user">A full user ID or just the localpart.</param>
    /// <exception cref="MatrixException"><c>M_FORBIDDEN</c> for a wrong user or password, <c>M_USER_DEACTIVATED</c>.</exception>
    public async Task<LoginResult> LoginWithPasswordAsync(string user, string password, string? deviceId, string? deviceDisplayName, bool refreshable, CancellationToken cancellationToken)
    {
        DeviceNames.Check(deviceId, deviceDisplayName);
        var userId = ToUserId(user);
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

        return await StartSessionAsync(account.UserId, deviceId, deviceDisplayName, refreshable, cancellationToken);
    }

    /// <summary>
    /// Checks an <c>m.login.password</c> stage of user-interactive auth: the identifier (or legacy <c>user</c>) must
    /// name <paramref name="userId"/> and the password must be theirs.
    /// </summary>
    public async Task<bool> CheckPasswordStageAsync(string userId, JsonObject auth, CancellationToken cancellationToken)
    {
        var named = auth["identifier"]?["user"] is JsonValue id && id.TryGetValue<string>(out var i) ? i
            : auth["user"] is JsonValue legacy && legacy.TryGetValue<string>(out var l) ? l
            : null;
        if (named is null || auth["password"] is not JsonValue p || !p.TryGetValue<string>(out var password))
        {
            return false;
        }

        var account = await accounts.GetUserAsync(userId, cancellationToken);
        return ToUserId(named) == userId && account?.PasswordHash is { } hash && await PasswordHasher.VerifyAsync(password, hash);
    }

    public async Task LogoutAsync(Session session, CancellationToken cancellationToken) =>
        await deviceLists.DevicesChangedAsync(
            session.UserId, await sessions.DeleteSessionAsync(session.UserId, session.DeviceId, cancellationToken), changePerDevice: true, cancellationToken);

    public async Task LogoutAllAsync(Session session, CancellationToken cancellationToken) =>
        await deviceLists.DevicesChangedAsync(session.UserId, await sessions.DeleteAllSessionsAsync(session.UserId, cancellationToken), changePerDevice: true, cancellationToken);

    private string ToUserId(string user) => user.StartsWith('@') ? user : $"@{user}:{server.ServerName}";

    /// <summary>Creates (or reuses) the device and issues a new access token (and refresh token, if asked for) for it.</summary>
    public async Task<LoginResult> StartSessionAsync(string userId, string? deviceId, string? deviceDisplayName, bool refreshable, CancellationToken cancellationToken)
    {
        DeviceNames.Check(deviceId, deviceDisplayName);
        deviceId ??= AccessTokens.CreateDeviceId();
        var token = AccessTokens.Create();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var refreshToken = refreshable ? AccessTokens.Create() : null;
        long? expires = refreshable ? now + (long)policy.RefreshableTokenLifetime.TotalMilliseconds : null;
        await sessions.CreateSessionAsync(
            new NewSession(userId, deviceId, deviceDisplayName, AccessTokens.Hash(token), now, expires, refreshToken is null ? null : AccessTokens.Hash(refreshToken)),
            cancellationToken);
        return new LoginResult(userId, token, deviceId, refreshToken, expires - now);
    }

    /// <summary>New tokens for a refresh token (client-server API, "Refreshing access tokens").</summary>
    /// <exception cref="MatrixException">401 <c>M_UNKNOWN_TOKEN</c> for an unknown or spent refresh token.</exception>
    public async Task<LoginResult> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var token = AccessTokens.Create();
        var newRefreshToken = AccessTokens.Create();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var lifetime = (long)policy.RefreshableTokenLifetime.TotalMilliseconds;
        var refreshed = await sessions.RefreshSessionAsync(
            AccessTokens.Hash(refreshToken),
            new RefreshedTokens(AccessTokens.Hash(token), AccessTokens.Hash(newRefreshToken), now, now + lifetime),
            cancellationToken);
        return refreshed is { } session
            ? new LoginResult(session.UserId, token, session.DeviceId, newRefreshToken, lifetime)
            : throw new MatrixException(ErrorCode.UnknownToken, 401, "Unknown refresh token");
    }
}
