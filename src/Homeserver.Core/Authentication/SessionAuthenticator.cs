namespace Homeserver.Core.Authentication;

/// <summary>Finds the session an access token belongs to.</summary>
public sealed class SessionAuthenticator(ISessionStore sessions, TimeProvider clock)
{
    public async Task<AuthenticationOutcome> AuthenticateAsync(string accessToken, CancellationToken cancellationToken)
    {
        var tokenHash = AccessTokens.Hash(accessToken);
        var session = await sessions.FindByTokenHashAsync(tokenHash, cancellationToken);
        if (session is null)
        {
            return new AuthenticationOutcome(null, Expired: false);
        }

        if (session.ExpiresTs is { } expires && expires <= clock.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return new AuthenticationOutcome(null, Expired: true);
        }

        if (session.ReplacesPrevious)
        {
            await sessions.RetirePreviousSessionAsync(tokenHash, cancellationToken);
        }

        return new AuthenticationOutcome(session, Expired: false);
    }
}
