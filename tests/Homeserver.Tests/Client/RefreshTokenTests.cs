using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>Refresh tokens (client-server API, "Refreshing access tokens").</summary>
public sealed class RefreshTokenTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task Refreshing_rotates_tokens_tolerates_a_lost_response_and_expired_tokens_are_soft_logouts(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Sessions:RefreshableAccessTokenLifetimeSeconds=2");
        await server.CreateUserAsync("rita", "pw");

        var (_, login) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", """{"type":"m.login.password","user":"rita","password":"pw","refresh_token":true}""");
        var access1 = (string)login!["access_token"]!;
        var refresh1 = (string)login["refresh_token"]!;
        var (_, first) = await Refresh(server, refresh1);
        // The client "lost" that response and refreshes again with the old refresh token.
        var (again, second) = await Refresh(server, refresh1);
        var (unusedFirst, _) = await WhoAmI(server, (string)first!["access_token"]!);
        var (usedSecond, _) = await WhoAmI(server, (string)second!["access_token"]!);
        var (spent, spentBody) = await Refresh(server, refresh1);
        var (oldAccess, _) = await WhoAmI(server, access1);

        Assert.Equal(2000, (long)login["expires_in_ms"]!);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unusedFirst.StatusCode);
        Assert.Equal(HttpStatusCode.OK, usedSecond.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN"), (spent.StatusCode, (string?)spentBody!["errcode"]));
        Assert.Equal(HttpStatusCode.Unauthorized, oldAccess.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var (expired, expiredBody) = await WhoAmI(server, (string)second["access_token"]!);
        var (renewed, renewedBody) = await Refresh(server, (string)second["refresh_token"]!);
        var (afterRenewal, who) = await WhoAmI(server, (string)renewedBody!["access_token"]!);

        Assert.Equal((HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN"), (expired.StatusCode, (string?)expiredBody!["errcode"]));
        Assert.True((bool)expiredBody["soft_logout"]!);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterRenewal.StatusCode);
        Assert.Equal("@rita:localhost", (string?)who!["user_id"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Clients_that_do_not_ask_get_lasting_tokens_and_bad_refreshes_are_refused(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        await server.CreateUserAsync("sven", "pw");

        var (_, login) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", """{"type":"m.login.password","user":"sven","password":"pw"}""");
        var (unknown, unknownBody) = await Refresh(server, "hs_not_a_refresh_token");
        var (malformed, malformedBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/refresh", "{}");
        var (byAccessToken, _) = await Refresh(server, (string)login!["access_token"]!);

        Assert.False(login.ContainsKey("refresh_token"));
        Assert.False(login.ContainsKey("expires_in_ms"));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN"), (unknown.StatusCode, (string?)unknownBody!["errcode"]));
        Assert.Null(unknownBody["soft_logout"]);
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), (malformed.StatusCode, (string?)malformedBody!["errcode"]));
        Assert.Equal(HttpStatusCode.Unauthorized, byAccessToken.StatusCode);
    }

    private static Task<(HttpResponseMessage Response, System.Text.Json.Nodes.JsonObject? Body)> Refresh(TestHomeserver server, string refreshToken) =>
        server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/refresh", $$"""{"refresh_token":"{{refreshToken}}"}""");

    private static Task<(HttpResponseMessage Response, System.Text.Json.Nodes.JsonObject? Body)> WhoAmI(TestHomeserver server, string accessToken) =>
        server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: accessToken);
}
