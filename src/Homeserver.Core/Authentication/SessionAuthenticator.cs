namespace Homeserver.Core.Authentication;

/// <summary>Finds the session an access token belongs to: from the cache, else from the store.</summary>
public sealed class SessionAuthenticator(ISessionStore sessions, SessionCache cache, TimeProvider clock)
{
    public async Task<AuthenticationOutcome> AuthenticateAsync(string accessToken, CancellationToken cancellationToken)
    {
        var tokenHash = AccessTokens.Hash(accessToken);
        if (!cache.TryGet(tokenHash, out var session))
        {
            var generation = cache.Generation;
            if (await sessions.FindByTokenHashAsync(tokenHash, cancellationToken) is not { } found)
            {
                return new AuthenticationOutcome(null, Expired: false);
            }

            session = found;
            // A refreshed token's first use must reach the store, which retires the token it replaces.
            if (!session.ReplacesPrevious)
            {
                cache.Add(tokenHash, session, generation);
            }
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
