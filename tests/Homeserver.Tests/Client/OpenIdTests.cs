using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.OpenId;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>
/// OpenID: a client asks for a token (client-server API) and a third party exchanges it for the user's ID at the
/// federation listener (server-server API <c>openid/userinfo</c>).
/// </summary>
public sealed class OpenIdTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    private const string Password = "openid password";

    [Theory]
    [OnEveryDatabase]
    public async Task A_token_names_its_owner_to_a_third_party_and_opens_nothing_else(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, accessToken) = await server.CreateUserAsync("oscar" + provider.ToString().ToLowerInvariant());

        var (response, body) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/user/{Uri.EscapeDataString(user)}/openid/request_token", "{}", accessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (string)body!["access_token"]!;
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Equal(server.ServerName, (string?)body["matrix_server_name"]);
        Assert.Equal(3600, (long)body["expires_in"]!);

        var (status, info) = await UserInfoAsync(server, token);
        Assert.Equal((HttpStatusCode.OK, user), (status, (string?)info?["sub"]));

        // It is not an access token.
        var (whoami, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: token);
        Assert.Equal(HttpStatusCode.Unauthorized, whoami.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Unknown_expired_and_missing_tokens_and_tokens_for_others_are_refused(DatabaseProvider provider)
    {
        var server = servers[provider];
        var suffix = provider.ToString().ToLowerInvariant();
        var (user, accessToken) = await server.CreateUserAsync("olga" + suffix);
        var (other, _) = await server.CreateUserAsync("otto" + suffix);

        var (forOther, forOtherBody) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/user/{Uri.EscapeDataString(other)}/openid/request_token", "{}", accessToken);
        var (anonymous, anonymousBody) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/user/{Uri.EscapeDataString(user)}/openid/request_token", "{}");
        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), (forOther.StatusCode, (string?)forOtherBody?["errcode"]));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_MISSING_TOKEN"), (anonymous.StatusCode, (string?)anonymousBody?["errcode"]));

        var (unknown, unknownBody) = await UserInfoAsync(server, "not-a-token");
        Assert.Equal((HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN"), (unknown, (string?)unknownBody?["errcode"]));
        using var missing = await server.Federation.GetAsync("/_matrix/federation/v1/openid/userinfo");
        Assert.Equal((HttpStatusCode.BadRequest, "M_MISSING_PARAM"), (missing.StatusCode, (string?)(await missing.Content.ReadFromJsonAsync<JsonObject>())?["errcode"]));

        // A token whose hour is over, stored as the server stores tokens.
        var expired = AccessTokens.Create();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await scope.ServiceProvider.GetRequiredService<IOpenIdTokenStore>().AddAsync(AccessTokens.Hash(expired), user, now - 1, now - 2, CancellationToken.None);
        }

        var (late, lateBody) = await UserInfoAsync(server, expired);
        Assert.Equal((HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN"), (late, (string?)lateBody?["errcode"]));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_deactivated_account_s_tokens_name_no_one(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, accessToken) = await server.CreateUserAsync("ophelia" + provider.ToString().ToLowerInvariant(), Password);
        var (_, body) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/user/{Uri.EscapeDataString(user)}/openid/request_token", "{}", accessToken);
        var token = (string)body!["access_token"]!;

        var (deactivated, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/account/deactivate",
            $$$"""{"auth":{"type":"m.login.password","identifier":{"type":"m.id.user","user":"{{{user}}}"},"password":"{{{Password}}}"}}""", accessToken);
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);

        var (status, _) = await UserInfoAsync(server, token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    private static async Task<(HttpStatusCode Status, JsonObject? Body)> UserInfoAsync(TestHomeserver server, string token)
    {
        using var response = await server.Federation.GetAsync($"/_matrix/federation/v1/openid/userinfo?access_token={Uri.EscapeDataString(token)}");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>());
    }
}
