using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Homeserver.Configuration;

/// <summary>A listener URL taken apart: where Kestrel binds and whether it speaks TLS.</summary>
public sealed record ListenerAddress(bool IsHttps, IPAddress? Address, bool IsLocalhost, int Port)
{
    public static bool TryParse(string? url, [NotNullWhen(true)] out ListenerAddress? address, out string error)
    {
        address = null;
        // '*' and '+' are ASP.NET's "any address" hosts, which Uri does not accept.
        var normalised = url?.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"'{url}' is not an http:// or https:// URL";
            return false;
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            error = $"'{url}' must not have a path";
            return false;
        }

        var isHttps = uri.Scheme == Uri.UriSchemeHttps;
        if (uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns)
        {
            address = new ListenerAddress(isHttps, null, true, uri.Port);
        }
        else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip))
        {
            address = new ListenerAddress(isHttps, ip, false, uri.Port);
        }
        else
        {
            error = $"'{url}' must name an IP address or localhost";
            return false;
        }

        error = string.Empty;
        return true;
    }
}
