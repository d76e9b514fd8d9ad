using System.Net;
using System.Net.Sockets;

namespace Homeserver.Media.Preview;

/// <summary>
/// Decides which IP addresses URL previews may connect to: everything public, nothing loopback, private,
/// link-local, shared, multicast, reserved or documentation-only, unless the administrator allows a network
/// explicitly. IPv4 addresses wrapped in IPv6 (mapped, NAT64, 6to4) are judged by the IPv4 address inside.
/// </summary>
public sealed class AddressFilter(IReadOnlyList<IPNetwork> allowed)
{
    private static readonly IPNetwork[] Refused =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork LocalNat64 = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public bool IsAllowed(IPAddress address)
    {
        if (allowed.Any(n => n.Contains(address)))
        {
            return true;
        }

        if (Embedded(address) is { } inner)
        {
            return IsAllowed(inner);
        }

        return !Refused.Any(n => n.Contains(address)) && !LocalNat64.Contains(address);
    }

    /// <summary>The IPv4 address carried by an IPv6 address, for the forms a router would forward to it.</summary>
    private static IPAddress? Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }
}
