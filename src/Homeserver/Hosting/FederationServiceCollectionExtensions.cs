using System.Net;
using Homeserver.Configuration;
using Homeserver.Core.Federation;
using Homeserver.Core.Keys;
using Homeserver.Federation.Client;
using Homeserver.Federation.Joins;
using Homeserver.Federation.Keys;
using Homeserver.Federation.Sending;
using Homeserver.Protocol.Json;

namespace Homeserver.Hosting;

/// <summary>The outbound side of federation: discovery, the signing HTTP client, the key ring and the sender.</summary>
public static class FederationServiceCollectionExtensions
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    private const long MaxResponseBytes = 256L * 1024 * 1024;

    public static IServiceCollection AddFederation(this IServiceCollection services, FederationOptions options)
    {
        // One handler for all destinations: connections are pooled per host and recycled so DNS changes are seen.
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxAutomaticRedirections = 5,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (!options.VerifyTlsCertificates)
        {
            // Off only by explicit configuration, for tests between servers with self-signed certificates.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        var http = new HttpClient(handler) { Timeout = RequestTimeout, MaxResponseContentBufferSize = MaxResponseBytes };
        IReadOnlyList<IPEndPoint> nameServers = options.DnsServers.Count == 0
            ? DnsSrvResolver.SystemNameServers()
            : [.. options.DnsServers.Select(s => IPEndPoint.TryParse(s, out var endpoint) ? (endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint)
                : throw new ConfigurationException($"Homeserver:Federation:DnsServers: '{s}' is not an address or address:port"))];
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<DnsSrvResolver>(sp, nameServers));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ServerResolver>(sp, http));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<FederationHttpClient>(sp, http));
        services.AddSingleton<IFederationClient>(sp => sp.GetRequiredService<FederationHttpClient>());
        IReadOnlyList<TrustedKeyServer> notaries =
        [
            .. options.TrustedKeyServers.Select(n => new TrustedKeyServer(
                n.ServerName, n.VerifyKeys.ToDictionary(k => k.KeyId, k => UnpaddedBase64.Decode(k.PublicKey), StringComparer.Ordinal))),
        ];
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ServerKeyRing>(sp, notaries));
        services.AddSingleton<IServerKeyRing>(sp => sp.GetRequiredService<ServerKeyRing>());
        services.AddSingleton<IRemoteKeyQuery, FederatedUserKeys>();
        services.AddSingleton(new FederationSenderOptions(
            TimeSpan.FromSeconds(options.FirstRetryDelaySeconds), TimeSpan.FromSeconds(options.MaxRetryDelaySeconds)));
        services.AddHostedService<FederationSender>();
        services.AddHostedService<PartialStateWorker>();
        return services;
    }
}
