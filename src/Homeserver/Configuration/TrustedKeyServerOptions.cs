namespace Homeserver.Configuration;

/// <summary>A notary to ask for other servers' keys, believed when its answer is signed by one of <see cref="VerifyKeys"/>.</summary>
public sealed class TrustedKeyServerOptions
{
    public string ServerName { get; set; } = "";

    /// <summary>
    /// The notary's keys. A list rather than a map, because configuration keys cannot hold the colon of a key ID.
    /// </summary>
    public List<TrustedKeyOptions> VerifyKeys { get; set; } = [];
}
