using System.Net;
using System.Security.Cryptography;
using System.Text;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>TURN credentials (client-server API, "Voice over IP").</summary>
public sealed class TurnServerTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task Credentials_are_the_hmac_of_expiry_and_user_under_the_shared_secret(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider,
            "--Homeserver:Turn:Uris:0=turn:turn.example.org:3478?transport=udp", "--Homeserver:Turn:SharedSecret=s3cret", "--Homeserver:Turn:LifetimeSeconds=3600");
        var (user, token) = await server.CreateUserAsync("tom");

        var (response, body) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/voip/turnServer", accessToken: token);
        var username = (string)body!["username"]!;
        var expiry = long.Parse(username.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
#pragma warning disable CA5350 // The TURN REST API scheme is HMAC-SHA1.
        var expected = Convert.ToBase64String(HMACSHA1.HashData("s3cret"u8, Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith(":" + user, username, StringComparison.Ordinal);
        Assert.InRange(expiry - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 3500, 3601);
        Assert.Equal(expected, (string?)body["password"]);
        Assert.Equal("turn:turn.example.org:3478?transport=udp", (string?)body["uris"]![0]);
        Assert.Equal(3600, (int)body["ttl"]!);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Without_a_turn_server_the_answer_is_empty_and_anonymous_callers_are_refused(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        var (_, token) = await server.CreateUserAsync("una");

        var (response, body) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/voip/turnServer", accessToken: token);
        var (anonymous, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/voip/turnServer");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(body!);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
