namespace Homeserver.Configuration;

public sealed class FederationOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Only tests on loopback, with self-signed certificates, turn this off.</summary>
    public bool VerifyTlsCertificates { get; set; } = true;

    /// <summary>
    /// A PFX file, or a PEM certificate (with <see cref="TlsKeyPath"/>), for the federation listener. When unset, a
    /// self-signed certificate is generated into the data directory on first start.
    /// </summary>
    public string? TlsCertificatePath { get; set; }

    public string? TlsKeyPath { get; set; }

    public string? TlsCertificatePassword { get; set; }

    /// <summary>The <c>m.server</c> value of <c>/.well-known/matrix/server</c> (delegation), e.g. <c>matrix.example.org:443</c>.</summary>
    public string? WellKnownServer { get; set; }

    /// <summary>
    /// The name servers asked for other servers' SRV records, as <c>address:port</c> (or an address, port 53).
    /// Empty: those of <c>/etc/resolv.conf</c>.
    /// </summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>The first wait before retrying a server that did not answer; each failure doubles it.</summary>
    public int FirstRetryDelaySeconds { get; set; } = 5;

    /// <summary>The longest wait between retries of a server that does not answer.</summary>
    public int MaxRetryDelaySeconds { get; set; } = 3600;

    /// <summary>
    /// Whether rooms are joined with partial state: the resident server leaves the members out of its answer, the
    /// room is usable at once, and the members are fetched in the background.
    /// </summary>
    public bool PartialStateJoins { get; set; } = true;

    /// <summary>
    /// Notaries asked for other servers' keys before the servers themselves (server-server API, "Querying Keys
    /// Through Another Server"). None by default: keys are fetched from each server directly.
    /// </summary>
    public List<TrustedKeyServerOptions> TrustedKeyServers { get; set; } = [];
}
