using System.Net;
using Homeserver.Core.Accounts;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>Password changes and deactivation (client-server API, "Account management").</summary>
public sealed class AccountManagementTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    private const string Password = "old password";

    [Theory]
    [OnEveryDatabase]
    public async Task A_password_change_needs_the_old_password_and_ends_the_other_sessions(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, phone) = await server.CreateUserAsync("hana" + provider.ToString().ToLowerInvariant(), Password, "PHONE");
        var (_, laptop) = await server.LoginAsync(user, Password, "LAPTOP");

        var (unconfirmed, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/account/password", """{"new_password":"new password"}""", phone);
        var (changed, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/account/password",
            $$$"""{"new_password":"new password","auth":{"type":"m.login.password","user":"{{{user}}}","password":"{{{Password}}}"}}""", phone);
        var (phoneAfter, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: phone);
        var (laptopAfter, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: laptop);
        var (oldLogin, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", $$"""{"type":"m.login.password","user":"{{user}}","password":"{{Password}}"}""");
        var (newLogin, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", $$"""{"type":"m.login.password","user":"{{user}}","password":"new password"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, unconfirmed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, phoneAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, laptopAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, oldLogin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newLogin.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_deactivated_account_loses_every_session_and_cannot_log_in_or_be_registered_again(DatabaseProvider provider)
    {
        var server = servers[provider];
        var localpart = "ivan" + provider.ToString().ToLowerInvariant();
        var (user, token) = await server.CreateUserAsync(localpart, Password, "PHONE");

        var (deactivated, body) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/account/deactivate",
            $$$"""{"auth":{"type":"m.login.password","identifier":{"type":"m.id.user","user":"{{{user}}}"},"password":"{{{Password}}}"}}""", token);
        var (after, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: token);
        var (login, loginBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", $$"""{"type":"m.login.password","user":"{{user}}","password":"{{Password}}"}""");
        await using var scope = server.Services.CreateAsyncScope();
        var reuse = await Record.ExceptionAsync(() => scope.ServiceProvider.GetRequiredService<AccountService>().RegisterAsync(localpart, "x", false, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.Equal("no-support", (string?)body!["id_server_unbind_result"]);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), (login.StatusCode, (string?)loginBody!["errcode"]));
        Assert.Contains("taken", reuse?.Message, StringComparison.Ordinal);
    }
}
