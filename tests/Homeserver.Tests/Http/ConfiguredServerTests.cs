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

    [Theory]
    [OnEveryDatabase]
    public async Task Logins_over_the_limit_get_429_M_LIMIT_EXCEEDED_with_the_time_to_wait(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider,
            "--Homeserver:RateLimits:Enabled=true", "--Homeserver:RateLimits:Login:Burst=2", "--Homeserver:RateLimits:Login:PerSecond=0.01");
        const string Login = """{"type":"m.login.password","user":"nobody","password":"x"}""";

        var (first, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", Login);
        var (second, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", Login);
        var (third, body) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", Login);
        var (otherEndpoint, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/login");

        Assert.Equal(HttpStatusCode.Forbidden, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("M_LIMIT_EXCEEDED", (string?)body!["errcode"]);
        Assert.True((long)body["retry_after_ms"]! > 0);
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, otherEndpoint.StatusCode);
    }

    [Fact]
    public void Rate_limits_are_on_by_default() =>
        Assert.True(new Homeserver.Configuration.HomeserverOptions().RateLimits.Enabled);
}
