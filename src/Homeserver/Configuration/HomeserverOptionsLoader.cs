using Homeserver.Protocol.Json;
using Homeserver.Protocol.Identifiers;
using Homeserver.Storage;

namespace Homeserver.Configuration;

/// <summary>Binds and validates the <c>Homeserver</c> section once, at start-up, so a bad setting stops the boot.</summary>
public static class HomeserverOptionsLoader
{
    /// <exception cref="ConfigurationException">A setting is missing or invalid; the message names the key.</exception>
    public static HomeserverOptions Load(IConfiguration configuration)
    {
        var options = new HomeserverOptions();
        try
        {
            configuration.GetSection(HomeserverOptions.Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the value it could not convert.
            throw new ConfigurationException(e.Message, e);
        }

        Validate(options);
        return options;
    }

    private static void Validate(HomeserverOptions options)
    {
        if (!ServerName.TryParse(options.ServerName ?? string.Empty, out _))
        {
            Fail("ServerName", $"'{options.ServerName}' is not a valid server name (a DNS name or IP literal, optionally with :port)");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            Fail("DataDirectory", "must not be empty");
        }

        ValidateListener("Listeners:Client", options.Listeners.Client);
        ValidateListener("Listeners:Federation", options.Listeners.Federation);

        if (options.Database.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            Fail("Database:ConnectionString", "is required when Homeserver:Database:Provider is Postgres");
        }

        if (options.PublicBaseUrl is { } baseUrl && !IsHttpUrl(baseUrl))
        {
            Fail("PublicBaseUrl", $"'{baseUrl}' is not an absolute http(s) URL");
        }

        if (options.Federation.TlsKeyPath is not null && options.Federation.TlsCertificatePath is null)
        {
            Fail("Federation:TlsCertificatePath", "is required when Homeserver:Federation:TlsKeyPath is set");
        }

        foreach (var notary in options.Federation.TrustedKeyServers)
        {
            if (!ServerName.TryParse(notary.ServerName, out _) || notary.VerifyKeys.Count == 0
                || notary.VerifyKeys.Any(k => !k.KeyId.StartsWith("ed25519:", StringComparison.Ordinal) || !UnpaddedBase64.TryDecode(k.PublicKey, out var raw) || raw.Length != 32))
            {
                Fail("Federation:TrustedKeyServers", $"'{notary.ServerName}' needs a valid ServerName and VerifyKeys of ed25519 key IDs with 32-byte base64 public keys");
            }
        }

        foreach (var (name, limit) in new[] { ("Login", options.RateLimits.Login), ("Registration", options.RateLimits.Registration) })
        {
            if (limit.Burst < 1 || !(limit.PerSecond > 0))
            {
                Fail($"RateLimits:{name}", "needs a Burst of at least 1 and a PerSecond above 0");
            }
        }

        if (options.Turn.Uris.Count > 0 && string.IsNullOrEmpty(options.Turn.SharedSecret))
        {
            Fail("Turn:SharedSecret", "is required when Homeserver:Turn:Uris is set");
        }

        if (options.Sessions.RefreshableAccessTokenLifetimeSeconds < 1)
        {
            Fail("Sessions:RefreshableAccessTokenLifetimeSeconds", "must be at least 1");
        }

        if (options.Turn.LifetimeSeconds < 60)
        {
            Fail("Turn:LifetimeSeconds", "must be at least 60");
        }

        if (options.Limits.MaxRequestBodyBytes < 65_536)
        {
            Fail("Limits:MaxRequestBodyBytes", "must be at least 65536 (the size of one event)");
        }

        ValidateMedia(options.Media);
    }

    private static void ValidateMedia(MediaOptions media)
    {
        if (media.MaxUploadBytes < 1)
        {
            Fail("Media:MaxUploadBytes", "must be at least 1");
        }

        if (media.MaxThumbnailSourcePixels < 1)
        {
            Fail("Media:MaxThumbnailSourcePixels", "must be at least 1");
        }

        if (media.MaxPendingUploadsPerUser < 1)
        {
            Fail("Media:MaxPendingUploadsPerUser", "must be at least 1");
        }

        var preview = media.UrlPreview;
        foreach (var network in preview.AllowedNetworks)
        {
            if (!System.Net.IPNetwork.TryParse(network, out _))
            {
                Fail("Media:UrlPreview:AllowedNetworks", $"holds '{network}', which is not a network in CIDR notation (e.g. 10.0.0.0/8)");
            }
        }

        if (preview.MaxPageBytes < 1024 || preview.MaxImageBytes < 1024)
        {
            Fail("Media:UrlPreview", "MaxPageBytes and MaxImageBytes must be at least 1024");
        }

        if (preview.TimeoutSeconds < 1)
        {
            Fail("Media:UrlPreview:TimeoutSeconds", "must be at least 1");
        }
    }

    private static void ValidateListener(string key, string url)
    {
        if (!ListenerAddress.TryParse(url, out _, out var error))
        {
            Fail(key, error);
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static void Fail(string key, string problem) =>
        throw new ConfigurationException($"Configuration error: {HomeserverOptions.Section}:{key} {problem}.");
}
