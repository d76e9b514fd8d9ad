using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>Account registration behind user-interactive auth (client-server API, "Account registration").</summary>
public sealed class RegistrationTests(OpenRegistrationFixture servers) : IClassFixture<OpenRegistrationFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Registration_asks_for_the_dummy_stage_then_creates_the_account_and_a_session(DatabaseProvider provider)
    {
        var server = servers[provider];
        var name = "reg" + provider.ToString().ToLowerInvariant();

        var (challenge, flows) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", $$$"""{"username":"{{{name}}}","password":"pw"}""");
        var session = (string)flows!["session"]!;
        var (done, account) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register",
            $$$"""{"username":"{{{name}}}","password":"pw","device_id":"DEV","auth":{"type":"m.login.dummy","session":"{{{session}}}"}}""");
        var (_, who) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: (string)account!["access_token"]!);
        var (login, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", $$$"""{"type":"m.login.password","user":"{{{name}}}","password":"pw"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("m.login.dummy", (string?)flows["flows"]![0]!["stages"]![0]);
        Assert.Null(flows["errcode"]);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal($"@{name}:localhost", (string?)account["user_id"]);
        Assert.Equal("DEV", (string?)account["device_id"]);
        Assert.Equal($"@{name}:localhost", (string?)who!["user_id"]);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_bad_device_name_is_refused_before_the_account_is_made(DatabaseProvider provider)
    {
        var server = servers[provider];
        var name = "badname" + provider.ToString().ToLowerInvariant();

        async Task<(HttpStatusCode, string?)> Register(string fields)
        {
            var (response, body) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register",
                $$$"""{"username":"{{{name}}}","password":"pw","auth":{"type":"m.login.dummy"},{{{fields}}}}""");
            return (response.StatusCode, (string?)body?["errcode"]);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Register("\"initial_device_display_name\":\"nul\\u0000\""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Register("\"device_id\":\"\""));
        // The name is still free: the refused requests made no account.
        Assert.Equal((HttpStatusCode.OK, null), await Register("\"initial_device_display_name\":\"Fine\""));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Dummy_auth_without_a_session_and_inhibit_login_register_without_a_token(DatabaseProvider provider)
    {
        var server = servers[provider];
        var name = "quiet" + provider.ToString().ToLowerInvariant();

        var (response, body) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register",
            $$$"""{"username":"{{{name}}}","inhibit_login":true,"auth":{"type":"m.login.dummy"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"@{name}:localhost", (string?)body!["user_id"]);
        Assert.False(body.ContainsKey("access_token"));
        Assert.False(body.ContainsKey("device_id"));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Taken_invalid_and_guest_registrations_get_the_spec_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var name = "taken" + provider.ToString().ToLowerInvariant();
        await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", $$$"""{"username":"{{{name}}}","auth":{"type":"m.login.dummy"}}""");

        var (taken, takenBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", $$$"""{"username":"{{{name}}}","auth":{"type":"m.login.dummy"}}""");
        var (invalid, invalidBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", """{"username":"no spaces please","auth":{"type":"m.login.dummy"}}""");
        var (guest, guestBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register?kind=guest", "{}");
        var (badStage, badStageBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", """{"username":"newname1","auth":{"type":"m.login.email.identity"}}""");
        var (badSession, badSessionBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", """{"username":"newname2","auth":{"type":"m.login.dummy","session":"nope"}}""");

        Assert.Equal((HttpStatusCode.BadRequest, "M_USER_IN_USE"), (taken.StatusCode, (string?)takenBody!["errcode"]));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_USERNAME"), (invalid.StatusCode, (string?)invalidBody!["errcode"]));
        Assert.Equal((HttpStatusCode.Forbidden, "M_GUEST_ACCESS_FORBIDDEN"), (guest.StatusCode, (string?)guestBody!["errcode"]));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_UNRECOGNIZED"), (badStage.StatusCode, (string?)badStageBody!["errcode"]));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), (badSession.StatusCode, (string?)badSessionBody!["errcode"]));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Available_reports_free_taken_invalid_and_missing_names(DatabaseProvider provider)
    {
        var server = servers[provider];
        var name = "avail" + provider.ToString().ToLowerInvariant();
        await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", $$$"""{"username":"{{{name}}}","auth":{"type":"m.login.dummy"}}""");

        var (free, freeBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/register/available?username=someone_new");
        var (taken, takenBody) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/register/available?username={name}");
        var (invalid, invalidBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/register/available?username=a%20b");
        var (missing, missingBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/register/available");

        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        Assert.True((bool)freeBody!["available"]!);
        Assert.Equal("M_USER_IN_USE", (string?)takenBody!["errcode"]);
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Equal("M_INVALID_USERNAME", (string?)invalidBody!["errcode"]);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("M_MISSING_PARAM", (string?)missingBody!["errcode"]);
    }
}
