using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Server;
using Homeserver.Protocol.Errors;

namespace Homeserver.Core.OpenId;

/// <summary>
/// OpenID (client-server API, "OpenID"; server-server API, "OpenID"): a user asks for a short-lived token and gives
/// it to a third party (a widget, an integration manager), which learns the user's ID by showing the token to
/// this server's federation API. The token opens nothing else.
/// </summary>
public sealed class OpenIdTokens(IOpenIdTokenStore store, ServerIdentity server, TimeProvider time)
{
    /// <summary>An hour, as other servers give: long enough to hand over, short enough not to matter when leaked.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <exception cref="MatrixException">403 <c>M_FORBIDDEN</c> when asked for another user.</exception>
    public async Task<OpenIdToken> RequestAsync(string callerUserId, string userId, CancellationToken cancellationToken)
    {
        if (userId != callerUserId)
        {
            throw MatrixException.Forbidden("You may only ask for tokens for yourself");
        }

        var token = AccessTokens.Create();
        var now = time.GetUtcNow();
        await store.AddAsync(AccessTokens.Hash(token), userId, (now + Lifetime).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), cancellationToken);
        return new OpenIdToken(token, server.ServerName, (long)Lifetime.TotalSeconds);
    }

    /// <exception cref="MatrixException">
    /// 400 <c>M_MISSING_PARAM</c> without a token; 401 <c>M_UNKNOWN_TOKEN</c> for one that is unknown or expired.
    /// </exception>
    public async Task<string> FindUserAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw MatrixException.MissingParam("access_token is required");
        }

        return await store.FindUserAsync(AccessTokens.Hash(token), time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken)
            ?? throw new MatrixException(ErrorCode.UnknownToken, 401, "The OpenID token is unknown or has expired");
    }
}
