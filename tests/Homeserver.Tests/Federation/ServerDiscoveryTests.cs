using Homeserver.Federation.Client;
using Homeserver.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Resolving server names through SRV records, asked of a real DNS server on loopback. The server name is
/// <c>localhost</c>, whose <c>/.well-known/matrix/server</c> fails at once (nothing listens on its port 443).
/// </summary>
public sealed class ServerDiscoveryTests
{
    [Fact]
    public async Task The_matrix_fed_record_is_used_with_the_host_kept_for_the_Host_header_and_the_lowest_priority_first()
    {
        await using var dns = new TestNameServer();
        dns.Records["_matrix-fed._tcp.localhost"] =
        [
            new SrvRecord(20, 0, 9000, "backup.example.org"),
            new SrvRecord(10, 5, 8555, "matrix.example.org"),
        ];
        dns.Records["_matrix._tcp.localhost"] = [new SrvRecord(0, 0, 7000, "old.example.org")];

        var resolved = await ResolverFor(dns).ResolveAsync("localhost", CancellationToken.None);

        Assert.Equal(new ResolvedServer("matrix.example.org", 8555, "localhost"), resolved);
    }

    [Fact]
    public async Task The_deprecated_matrix_record_is_used_when_there_is_no_matrix_fed_one_and_answers_are_cached()
    {
        await using var dns = new TestNameServer();
        dns.Records["_matrix._tcp.localhost"] = [new SrvRecord(0, 0, 7000, "old.example.org")];
        var srv = new DnsSrvResolver([dns.EndPoint], TimeProvider.System, NullLogger<DnsSrvResolver>.Instance);

        var first = await ResolverFor(srv).ResolveAsync("localhost", CancellationToken.None);
        var queries = dns.Queries;
        var second = await ResolverFor(srv).ResolveAsync("localhost", CancellationToken.None);

        Assert.Equal(new ResolvedServer("old.example.org", 7000, "localhost"), first);
        Assert.Equal(first, second);
        Assert.Equal(2, queries);
        Assert.Equal(queries, dns.Queries);
    }

    [Fact]
    public async Task A_truncated_answer_is_asked_again_over_TCP()
    {
        await using var dns = new TestNameServer { TruncateOverUdp = true };
        dns.Records["_matrix-fed._tcp.localhost"] = [new SrvRecord(0, 0, 9000, "big.example.org")];

        var resolved = await ResolverFor(dns).ResolveAsync("localhost", CancellationToken.None);

        Assert.Equal(new ResolvedServer("big.example.org", 9000, "localhost"), resolved);
        Assert.Equal(1, dns.TcpQueries);
    }

    [Fact]
    public async Task Without_records_or_with_a_dot_target_the_name_is_reached_on_port_8448()
    {
        await using var dns = new TestNameServer();
        var none = await ResolverFor(dns).ResolveAsync("localhost", CancellationToken.None);
        dns.Records["_matrix-fed._tcp.localhost"] = [new SrvRecord(0, 0, 0, ".")];
        var refused = await ResolverFor(dns).ResolveAsync("localhost", CancellationToken.None);
        // A name with a port is not looked up at all.
        var explicitPort = await ResolverFor(dns).ResolveAsync("localhost:1234", CancellationToken.None);

        Assert.Equal(new ResolvedServer("localhost", 8448, "localhost"), none);
        Assert.Equal(new ResolvedServer("localhost", 8448, "localhost"), refused);
        Assert.Equal(new ResolvedServer("localhost", 1234, "localhost:1234"), explicitPort);
    }

    [Fact]
    public async Task A_name_server_that_does_not_answer_leaves_the_default()
    {
        // A UDP port with no one behind it: the lookup times out and discovery goes on without SRV.
        using var silent = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var srv = new DnsSrvResolver([(System.Net.IPEndPoint)silent.Client.LocalEndPoint!], TimeProvider.System, NullLogger<DnsSrvResolver>.Instance);

        var resolved = await ResolverFor(srv).ResolveAsync("localhost", CancellationToken.None);

        Assert.Equal(new ResolvedServer("localhost", 8448, "localhost"), resolved);
    }

    private static ServerResolver ResolverFor(TestNameServer dns) =>
        ResolverFor(new DnsSrvResolver([dns.EndPoint], TimeProvider.System, NullLogger<DnsSrvResolver>.Instance));

    private static ServerResolver ResolverFor(DnsSrvResolver srv) =>
        new(new HttpClient { Timeout = TimeSpan.FromSeconds(5) }, srv, TimeProvider.System, NullLogger<ServerResolver>.Instance);
}
