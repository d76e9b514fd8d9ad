using System.Net;
using Homeserver.Media.Preview;

namespace Homeserver.Tests.Media;

/// <summary>Which addresses URL previews may connect to. Pure decisions: nothing here opens a connection.</summary>
public sealed class AddressFilterTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.20.30.40")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::")]
    public void Internal_addresses_are_refused(string address) =>
        Assert.False(new AddressFilter([]).IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:93.184.215.14")]
    [InlineData("64:ff9b::5db8:d70e")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.True(new AddressFilter([]).IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public void An_allowed_network_opens_only_itself()
    {
        var filter = new AddressFilter([IPNetwork.Parse("10.1.0.0/16")]);

        Assert.True(filter.IsAllowed(IPAddress.Parse("10.1.2.3")));
        Assert.True(filter.IsAllowed(IPAddress.Parse("::ffff:10.1.2.3")));
        Assert.False(filter.IsAllowed(IPAddress.Parse("10.2.0.1")));
        Assert.False(filter.IsAllowed(IPAddress.Parse("127.0.0.1")));
    }
}
