using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Homeserver.Client.Authentication;

/// <summary><c>GET</c> and <c>POST /_matrix/client/v3/login</c> (client-server API, "Login").</summary>
public sealed class LoginController(LoginService logins) : ClientApiController
{
    private const string PasswordLogin = "m.login.password";

    [HttpGet("_matrix/client/v3/login")]
    public LoginFlowsResponse GetFlows() => new([new LoginFlow(PasswordLogin)]);

    [HttpPost("_matrix/client/v3/login")]
    [EnableRateLimiting(RateLimitPolicies.Login)]
    public async Task<LoginResponse> LoginAsync([FromBody] LoginRequest request, CancellationToken cancellationToken)
    {
        if (request.Type != PasswordLogin)
        {
            throw new MatrixException(Protocol.Errors.ErrorCode.Unknown, 400, $"Unsupported login type '{request.Type}'");
        }

        var user = request.Identifier switch
        {
            { Type: "m.id.user", User: { } u } => u,
            { Type: "m.id.user" } => throw MatrixException.BadJson("identifier.user is required"),
            { Type: var other } => throw new MatrixException(Protocol.Errors.ErrorCode.Unknown, 400, $"Unsupported identifier type '{other}'"),
            null => request.User ?? throw MatrixException.BadJson("identifier is required"),
        };
        var password = request.Password ?? throw MatrixException.BadJson("password is required");

        var result = await logins.LoginWithPasswordAsync(user, password, request.DeviceId, request.InitialDeviceDisplayName, request.RefreshToken ?? false, cancellationToken);
        return new LoginResponse(result.UserId, result.AccessToken, result.DeviceId, result.RefreshToken, result.ExpiresInMs);
    }
}
