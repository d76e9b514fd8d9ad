using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Homeserver.Protocol.Identifiers;

/// <summary>
/// A server name (appendices, "Server Name"): a DNS name, an IPv4 address or a bracketed IPv6 address, with an
/// optional port.
/// </summary>
public readonly record struct ServerName
{
    private ServerName(string value, string host, int? port)
    {
        Value = value;
        Host = host;
        Port = port;
    }

    public string Value { get; }

    /// <summary>The host without the port; IPv6 literals keep their brackets.</summary>
    public string Host { get; }

    public int? Port { get; }

    public static ServerName Parse(string value) =>
        TryParse(value, out var name) ? name : throw new FormatException($"'{value}' is not a valid server name");

    public static bool TryParse([NotNullWhen(true)] string? value, out ServerName serverName)
    {
        serverName = default;
        if (string.IsNullOrEmpty(value) || value.Length > 255)
        {
            return false;
        }

        string host;
        string? portText = null;
        if (value[0] == '[')
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(value[1..close], out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6
                || !value[1..close].All(IsIpv6Char))
            {
                return false;
            }

            host = value[..(close + 1)];
            var rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? value : value[..colon];
            portText = colon < 0 ? null : value[(colon + 1)..];
            if (host.Length == 0 || !host.All(IsDnsChar))
            {
                return false;
            }
        }

        int? port = null;
        if (portText is not null)
        {
            if (portText.Length is 0 or > 5 || !portText.All(char.IsAsciiDigit) || int.Parse(portText, System.Globalization.CultureInfo.InvariantCulture) is 0 or > 65535)
            {
                return false;
            }

            port = int.Parse(portText, System.Globalization.CultureInfo.InvariantCulture);
        }

        serverName = new ServerName(value, host, port);
        return true;
    }

    public override string ToString() => Value;

    private static bool IsDnsChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.';

    private static bool IsIpv6Char(char c) => char.IsAsciiHexDigit(c) || c is ':' or '.';
}
