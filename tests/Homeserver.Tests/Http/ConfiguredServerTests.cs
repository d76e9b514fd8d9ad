using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Hosting;

namespace Homeserver.Tests.Http;

/// <summary>Behaviour that depends on settings, each on a server started with them.</summary>
public sealed class ConfiguredServerTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task Body_over_the_limit_is_413_M_TOO_LARGE(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Limits:MaxRequestBodyBytes=65536");
        var password = new string('x', 70_000);

        var (response, body) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login",
            $"{{\"type\":\"m.login.password\",\"user\":\"alice\",\"password\":\"{password}\"}}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("M_TOO_LARGE", (string?)body!["errcode"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Well_known_documents_announce_the_configured_urls(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider,
            "--Homeserver:PublicBaseUrl=https://matrix.example.org",
            "--Homeserver:Federation:WellKnownServer=matrix.example.org:443");

        var (_, client) = await server.SendAsync(HttpMethod.Get, "/.well-known/matrix/client");
        var (_, delegation) = await server.SendAsync(HttpMethod.Get, "/.well-known/matrix/server");

        Assert.Equal("https://matrix.example.org", (string?)client!["m.homeserver"]!["base_url"]);
        Assert.Equal("matrix.example.org:443", (string?)delegation!["m.server"]);
    }
}
