namespace Homeserver.Core.Authentication;

/// <summary>The port for devices and the access tokens that belong to them.</summary>
public interface ISessionStore
{
    /// <summary>
    /// Creates the device when it is new (keeping the display name of a known one) and issues the token for it,
    /// replacing any earlier token of that device, in one transaction.
    /// </summary>
    Task CreateSessionAsync(NewSession session, CancellationToken cancellationToken);

    /// <summary>The session of a token, found by the token's hash, expired or not; null when the token is unknown.</summary>
    Task<Session?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>
    /// Issues new tokens for the session whose refresh token has the given hash, in place of any replacement issued
    /// earlier for it that was never used. Returns the user and device, or null when the refresh token is unknown.
    /// </summary>
    Task<(string UserId, string DeviceId)?> RefreshSessionAsync(string refreshTokenHash, RefreshedTokens tokens, CancellationToken cancellationToken);

    /// <summary>The first use of a refreshed token: the session it replaced, and its refresh token, end.</summary>
    Task RetirePreviousSessionAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Deletes the token's device and every token of that device; returns the devices deleted.</summary>
    Task<IReadOnlyList<string>> DeleteSessionAsync(string userId, string deviceId, CancellationToken cancellationToken);

    /// <summary>Deletes every device and token of the user; returns the devices deleted.</summary>
    Task<IReadOnlyList<string>> DeleteAllSessionsAsync(string userId, CancellationToken cancellationToken);
}
