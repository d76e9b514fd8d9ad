using System.Security.Claims;
using System.Text.Encodings.Web;
using Homeserver.Core.Authentication;
using Homeserver.Protocol.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Homeserver.Http;

/// <summary>
/// The client-server API's access-token authentication (spec "Using access tokens"): the token comes in the
/// <c>Authorization: Bearer</c> header or, deprecated but still used, the <c>access_token</c> query parameter.
/// Endpoints ask for it with <c>[Authorize]</c>; the session is then a feature of the request.
/// </summary>
internal sealed class AccessTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    CachedLoggerFactory logger,
    UrlEncoder encoder,
    SessionAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AccessToken";

    private const string SoftLogoutKey = "homeserver.soft_logout";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var (session, expired) = await authenticator.AuthenticateAsync(token, Context.RequestAborted);
        if (session is null)
        {
            Context.Items[SoftLogoutKey] = expired;
            return AuthenticateResult.Fail(expired ? "Expired access token" : "Unknown access token");
        }

        Context.Features.Set(session);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, session.UserId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (ReadToken(Request) is null)
        {
            return ErrorResponseWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, ErrorCode.MissingToken, "Missing access token");
        }

        // An expired token is a "soft logout": the client may refresh it or log in again to the same device.
        var expired = Context.Items.TryGetValue(SoftLogoutKey, out var value) && value is true;
        return ErrorResponseWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, ErrorCode.UnknownToken,
            expired ? "Access token expired" : "Unrecognised access token", softLogout: expired);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ErrorResponseWriter.WriteAsync(Context, StatusCodes.Status403Forbidden, ErrorCode.Forbidden, "Forbidden");

    private static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Query.TryGetValue("access_token", out var value) && !string.IsNullOrEmpty(value) ? value.ToString() : null;
    }
}
