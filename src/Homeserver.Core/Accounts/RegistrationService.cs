using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Devices;
using Homeserver.Core.Errors;

namespace Homeserver.Core.Accounts;

/// <summary>Open registration (client-server API, "Account registration") behind user-interactive auth.</summary>
public sealed class RegistrationService(AccountService accounts, LoginService logins, UserInteractiveAuth uia, RegistrationPolicy policy, RegistrationTokens tokens)
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> OpenFlows = [[UserInteractiveAuth.Dummy]];
    private static readonly IReadOnlyList<IReadOnlyList<string>> TokenFlows = [[UserInteractiveAuth.RegistrationToken]];

    /// <exception cref="MatrixException">Registration closed, a bad or taken name, or authentication still to do.</exception>
    public async Task<RegistrationResult> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken)
    {
        if (!policy.Enabled)
        {
            throw MatrixException.Forbidden("Registration is disabled on this server");
        }

        if (request.Kind != "user")
        {
            throw request.Kind == "guest"
                ? new MatrixException(Protocol.Errors.ErrorCode.GuestAccessForbidden, 403, "Guest accounts are not available on this server")
                : MatrixException.InvalidParam($"Unknown account kind '{request.Kind}'");
        }

        // The user name is the basis of the localpart, which is lower case (as Synapse does, "Alice" becomes "alice").
        var localpart = request.Username?.ToLowerInvariant() ?? GenerateLocalpart();
        // Checked before authentication, so that a client learns early that the name will not do.
        await accounts.CheckAvailableAsync(localpart, cancellationToken);
        DeviceNames.Check(request.DeviceId, request.InitialDeviceDisplayName);
        await uia.RequireAsync(request.Auth, policy.RequireToken ? TokenFlows : OpenFlows, (type, auth) =>
            type == UserInteractiveAuth.RegistrationToken && auth["token"] is JsonValue token && token.TryGetValue<string>(out var value)
                ? tokens.TryUseAsync(value, cancellationToken)
                : Task.FromResult(false));

        var userId = await accounts.RegisterAsync(localpart, request.Password, isAdmin: false, cancellationToken);
        if (request.InhibitLogin)
        {
            return new RegistrationResult(userId, null, null);
        }

        var session = await logins.StartSessionAsync(userId, request.DeviceId, request.InitialDeviceDisplayName, request.Refreshable, cancellationToken);
        return new RegistrationResult(userId, session.AccessToken, session.DeviceId, session.RefreshToken, session.ExpiresInMs);
    }

    /// <summary>Whether a registration token would be accepted now (<c>/register/m.login.registration_token/validity</c>).</summary>
    public Task<bool> IsTokenValidAsync(string token, CancellationToken cancellationToken) =>
        policy.Enabled ? tokens.IsValidAsync(token, cancellationToken) : throw MatrixException.Forbidden("Registration is disabled on this server");

    private static string GenerateLocalpart() => "u" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
