using Homeserver.Core.Accounts;
using Homeserver.Core.Errors;
using Homeserver.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Homeserver.Client.Account;

/// <summary>
/// <c>POST /_matrix/client/v3/register</c>, <c>GET /_matrix/client/v3/register/available</c> and
/// <c>GET /_matrix/client/v1/register/m.login.registration_token/validity</c>
/// (client-server API, "Account registration").
/// </summary>
public sealed class RegisterController(RegistrationService registration, AccountService accounts) : ClientApiController
{
    [HttpPost("_matrix/client/v3/register")]
    [EnableRateLimiting(RateLimitPolicies.Registration)]
    public async Task<RegisterResponse> RegisterAsync([FromBody] RegisterRequest request, [FromQuery] string? kind, CancellationToken cancellationToken)
    {
        var result = await registration.RegisterAsync(
            new RegistrationRequest(request.Username, request.Password, request.Auth, request.DeviceId, request.InitialDeviceDisplayName,
                request.InhibitLogin ?? false, request.RefreshToken ?? false, kind ?? "user"),
            cancellationToken);
        return new RegisterResponse(result.UserId, result.AccessToken, result.DeviceId, result.RefreshToken, result.ExpiresInMs);
    }

    [HttpGet("_matrix/client/v1/register/m.login.registration_token/validity")]
    [EnableRateLimiting(RateLimitPolicies.Registration)]
    public async Task<TokenValidityResponse> TokenValidityAsync([FromQuery] string? token, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(token)
            ? throw MatrixException.MissingParam("token is required")
            : new TokenValidityResponse(await registration.IsTokenValidAsync(token, cancellationToken));

    [HttpGet("_matrix/client/v3/register/available")]
    public async Task<AvailableResponse> AvailableAsync([FromQuery] string? username, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(username))
        {
            throw MatrixException.MissingParam("username is required");
        }

        await accounts.CheckAvailableAsync(username.ToLowerInvariant(), cancellationToken);
        return new AvailableResponse(true);
    }
}
