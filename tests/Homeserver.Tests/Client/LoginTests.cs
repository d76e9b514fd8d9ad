using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Hosting;

namespace Homeserver.Tests.Client;

/// <summary>Password login, access tokens and logout (client-server API, "Client Authentication").</summary>
public sealed class LoginTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    private const string Password = "correct horse battery staple";

    [Theory]
    [OnEveryDatabase]
    public async Task Password_login_issues_a_token_that_whoami_accepts_until_logout(DatabaseProvider provider)
    {
        var server = servers[provider];
        var userId = await server.RegisterAsync("alice" + provider.ToString().ToLowerInvariant(), Password);

        var (login, session) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login",
            $$"""{"type":"m.login.password","identifier":{"type":"m.id.user","user":"{{userId}}"},"password":"{{Password}}","device_id":"PHONE"}""");
        var token = (string)session!["access_token"]!;
        var (whoami, who) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: token);
        var (logout, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/logout", "{}", token);
        var (after, afterBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: token);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(userId, (string?)session["user_id"]);
        Assert.Equal("PHONE", (string?)session["device_id"]);
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        Assert.Equal(userId, (string?)who!["user_id"]);
        Assert.Equal("PHONE", (string?)who["device_id"]);
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("M_UNKNOWN_TOKEN", (string?)afterBody!["errcode"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Legacy_user_field_and_query_token_work_and_logout_all_ends_every_session(DatabaseProvider provider)
    {
        var server = servers[provider];
        var localpart = "bob" + provider.ToString().ToLowerInvariant();
        await server.RegisterAsync(localpart, Password);
        var body = $$"""{"type":"m.login.password","user":"{{localpart}}","password":"{{Password}}"}""";

        var (_, first) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", body);
        var (_, second) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", body);
        var firstToken = (string)first!["access_token"]!;
        var secondToken = (string)second!["access_token"]!;
        var viaQuery = await server.Client.GetAsync($"/_matrix/client/v3/account/whoami?access_token={Uri.EscapeDataString(firstToken)}");
        await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/logout/all", "{}", secondToken);
        var (firstAfter, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: firstToken);

        Assert.NotEqual(first["device_id"]!.ToString(), second["device_id"]!.ToString());
        Assert.Equal(HttpStatusCode.OK, viaQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, firstAfter.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Wrong_password_and_unknown_user_get_the_same_403_M_FORBIDDEN(DatabaseProvider provider)
    {
        var server = servers[provider];
        var localpart = "carol" + provider.ToString().ToLowerInvariant();
        await server.RegisterAsync(localpart, Password);

        var (wrong, wrongBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login",
            $$"""{"type":"m.login.password","user":"{{localpart}}","password":"not it"}""");
        var (unknown, unknownBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login",
            """{"type":"m.login.password","user":"nobody-here","password":"not it"}""");

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal("M_FORBIDDEN", (string?)wrongBody!["errcode"]);
        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal(wrongBody.ToJsonString(), unknownBody!.ToJsonString());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Missing_and_unknown_tokens_are_401_with_their_own_codes(DatabaseProvider provider)
    {
        var server = servers[provider];

        var (missing, missingBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami");
        var (unknown, unknownBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: "hs_not_a_token");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("M_MISSING_TOKEN", (string?)missingBody!["errcode"]);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("M_UNKNOWN_TOKEN", (string?)unknownBody!["errcode"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Unsupported_login_type_is_rejected(DatabaseProvider provider)
    {
        var (response, body) = await servers[provider].SendAsync(HttpMethod.Post, "/_matrix/client/v3/login",
            """{"type":"m.login.sso","user":"x"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("M_UNKNOWN", (string?)body!["errcode"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Request_logs_never_contain_passwords_or_access_tokens(DatabaseProvider provider)
    {
        var server = servers[provider];
        var localpart = "dave" + provider.ToString().ToLowerInvariant();
        await server.RegisterAsync(localpart, Password);

        var (_, session) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login",
            $$"""{"type":"m.login.password","user":"{{localpart}}","password":"{{Password}}"}""");
        var token = (string)session!["access_token"]!;
        await server.Client.GetAsync($"/_matrix/client/v3/account/whoami?access_token={token}");
        await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: token);

        var lines = server.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("/_matrix/client/v3/account/whoami", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(Password, StringComparison.Ordinal));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Successful_syncs_are_logged_at_debug_and_failed_ones_as_usual(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("synclog" + provider.ToString().ToLowerInvariant());

        await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: token);
        await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?since=not-a-token", accessToken: token);
        await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: token);

        var lines = server.Logs.Lines;
        Assert.Contains(lines, l => l.StartsWith("""[Debug] HTTP "GET" "/_matrix/client/v3/sync" responded 200""", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("""[Information] HTTP "GET" "/_matrix/client/v3/sync" responded 400""", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("""[Information] HTTP "GET" "/_matrix/client/v3/account/whoami" responded 200""", StringComparison.Ordinal));
    }
}
