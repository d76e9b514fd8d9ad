namespace Homeserver.Configuration;

public sealed class SessionsOptions
{
    /// <summary>
    /// The lifetime of access tokens issued to clients that support refresh tokens (as Synapse, 5 minutes by
    /// default); clients without refresh support get tokens that last until logout.
    /// </summary>
    public int RefreshableAccessTokenLifetimeSeconds { get; set; } = 300;
}
