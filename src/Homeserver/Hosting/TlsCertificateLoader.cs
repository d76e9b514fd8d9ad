using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Homeserver.Configuration;

namespace Homeserver.Hosting;

/// <summary>
/// The certificate of the TLS listeners: the configured one, or a self-signed one generated into the data
/// directory on first start and reused afterwards (other servers accept it only with verification off, which is
/// what loopback tests and first experiments need; production puts a real certificate or a reverse proxy in front).
/// </summary>
internal static class TlsCertificateLoader
{
    public const string GeneratedFileName = "federation-tls.pfx";

    public static X509Certificate2 Load(HomeserverOptions options)
    {
        var federation = options.Federation;
        if (federation.TlsCertificatePath is { } certificatePath)
        {
            try
            {
                return federation.TlsKeyPath is { } keyPath
                    ? X509Certificate2.CreateFromPemFile(certificatePath, keyPath)
                    : X509CertificateLoader.LoadPkcs12FromFile(certificatePath, federation.TlsCertificatePassword);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException(
                    $"Configuration error: {HomeserverOptions.Section}:Federation:TlsCertificatePath '{certificatePath}' cannot be loaded: {e.Message}", e);
            }
        }

        var generatedPath = Path.Combine(options.DataDirectory, GeneratedFileName);
        if (File.Exists(generatedPath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(generatedPath, password: null);
        }

        var certificate = CreateSelfSigned(options.ServerName);
        File.WriteAllBytes(generatedPath, certificate.Export(X509ContentType.Pkcs12));
        return certificate;
    }

    private static X509Certificate2 CreateSelfSigned(string serverName)
    {
        var host = HostOf(serverName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var ip))
        {
            names.AddIpAddress(ip);
        }
        else
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        // Round-trip through PKCS#12 so that the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    private static string HostOf(string serverName)
    {
        if (serverName.StartsWith('['))
        {
            return serverName[1..serverName.IndexOf(']', StringComparison.Ordinal)];
        }

        var colon = serverName.LastIndexOf(':');
        return colon < 0 ? serverName : serverName[..colon];
    }
}
