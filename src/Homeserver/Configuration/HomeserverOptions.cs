namespace Homeserver.Configuration;

/// <summary>The <c>Homeserver</c> configuration section; docs/configuration.md describes every key.</summary>
public sealed class HomeserverOptions
{
    public const string Section = "Homeserver";

    public string ServerName { get; set; } = "localhost";

    /// <summary>Holds the SQLite file, the signing key, the generated TLS certificate and media.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The URL clients use to reach us, served in <c>/.well-known/matrix/client</c> when set.</summary>
    public string? PublicBaseUrl { get; set; }

    public ListenerOptions Listeners { get; set; } = new();

    public DatabaseOptions Database { get; set; } = new();

    public RegistrationOptions Registration { get; set; } = new();

    public FederationOptions Federation { get; set; } = new();

    public LimitsOptions Limits { get; set; } = new();

    public RateLimitsOptions RateLimits { get; set; } = new();

    public TurnOptions Turn { get; set; } = new();

    public UserDirectoryOptions UserDirectory { get; set; } = new();

    public SessionsOptions Sessions { get; set; } = new();

    public MediaOptions Media { get; set; } = new();
}
