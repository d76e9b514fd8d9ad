namespace Homeserver.Core.Authentication;

/// <summary>Finds the session an access token belongs to.</summary>
public sealed class SessionAuthenticator(ISessionStore sessions)
{
    public Task<Session?> AuthenticateAsync(string accessToken, CancellationToken cancellationToken) =>
        sessions.FindByTokenHashAsync(AccessTokens.Hash(accessToken), cancellationToken);
}
