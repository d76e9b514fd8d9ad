using System.Net;
using System.Security.Cryptography.X509Certificates;
using Homeserver.Configuration;
using Homeserver.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Homeserver.Hosting;

/// <summary>Binds the client and federation listeners and tags each connection with the API surfaces it serves.</summary>
internal static class ListenerSetup
{
    public static void Configure(KestrelServerOptions kestrel, HomeserverOptions options)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBodyBytes;

        var listeners = new Dictionary<string, HashSet<ApiSurface>>(StringComparer.OrdinalIgnoreCase)
        {
            [options.Listeners.Client] = [ApiSurface.Client],
        };
        if (options.Federation.Enabled)
        {
            if (!listeners.TryGetValue(options.Listeners.Federation, out var surfaces))
            {
                listeners[options.Listeners.Federation] = surfaces = [];
            }

            surfaces.Add(ApiSurface.Federation);
        }

        X509Certificate2? certificate = null;
        foreach (var (url, surfaces) in listeners)
        {
            if (!ListenerAddress.TryParse(url, out var address, out var error))
            {
                // Validated at start-up already; this guards a caller that skipped the loader.
                throw new ConfigurationException($"Configuration error: listener {error}.");
            }

            var tag = new ListenerSurfaces(surfaces);
            void Setup(ListenOptions listen)
            {
                listen.Use(next => connection =>
                {
                    connection.Items[typeof(ListenerSurfaces)] = tag;
                    return next(connection);
                });
                if (address.IsHttps)
                {
                    listen.UseHttps(certificate ??= TlsCertificateLoader.Load(options));
                }
            }

            if (address.IsLocalhost)
            {
                kestrel.ListenLocalhost(address.Port, Setup);
            }
            else
            {
                kestrel.Listen(address.Address ?? IPAddress.Any, address.Port, Setup);
            }
        }
    }
}
