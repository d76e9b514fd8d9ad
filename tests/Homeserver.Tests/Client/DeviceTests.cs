using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>Device management (client-server API, "Device management").</summary>
public sealed class DeviceTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    private const string Password = "device test password";

    [Theory]
    [OnEveryDatabase]
    public async Task Devices_are_listed_renamed_and_read_back(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, phone) = await server.CreateUserAsync("dora" + provider.ToString().ToLowerInvariant(), Password, "PHONE");
        await server.LoginAsync(user, Password, "LAPTOP");

        var (rename, _) = await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/devices/LAPTOP", """{"display_name":"Work laptop"}""", phone);
        var (_, list) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices", accessToken: phone);
        var (_, laptop) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices/LAPTOP", accessToken: phone);
        var (unknown, unknownBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices/NOPE", accessToken: phone);
        var (renameUnknown, _) = await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/devices/NOPE", """{"display_name":"x"}""", phone);

        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        Assert.Equal(["LAPTOP", "PHONE"], list!["devices"]!.AsArray().Select(d => (string)d!["device_id"]!));
        Assert.Equal("Work laptop", (string?)laptop!["display_name"]);
        Assert.Equal("test", (string?)list["devices"]![1]!["display_name"]);
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), (unknown.StatusCode, (string?)unknownBody!["errcode"]));
        Assert.Equal(HttpStatusCode.NotFound, renameUnknown.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_device_ids_and_names_are_refused_at_login_and_rename(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, phone) = await server.CreateUserAsync("dirk" + provider.ToString().ToLowerInvariant(), Password, "PHONE");
        var tooLong = new string('n', 101);

        async Task<(HttpStatusCode, string?)> Login(string fields)
        {
            var (response, body) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login",
                $$$"""{"type":"m.login.password","identifier":{"type":"m.id.user","user":"{{{user}}}"},"password":"{{{Password}}}",{{{fields}}}}""");
            return (response.StatusCode, (string?)body?["errcode"]);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Login("\"device_id\":\"NUL\\u0000ID\""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Login("\"initial_device_display_name\":\"tab\\tname\""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_TOO_LARGE"), await Login($"\"initial_device_display_name\":\"{tooLong}\""));
        var (rename, renameBody) = await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/devices/PHONE", """{"display_name":"nul\u0000"}""", phone);
        var (_, device) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices/PHONE", accessToken: phone);
        var (_, list) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices", accessToken: phone);

        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), (rename.StatusCode, (string?)renameBody!["errcode"]));
        Assert.Equal("test", (string?)device!["display_name"]);
        Assert.Equal(["PHONE"], list!["devices"]!.AsArray().Select(d => (string)d!["device_id"]!));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Deleting_a_device_needs_the_password_and_ends_its_session(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, phone) = await server.CreateUserAsync("erik" + provider.ToString().ToLowerInvariant(), Password, "PHONE");
        var (_, laptop) = await server.LoginAsync(user, Password, "LAPTOP");

        var (challenge, flows) = await server.SendAsync(HttpMethod.Delete, "/_matrix/client/v3/devices/LAPTOP", accessToken: phone);
        var session = (string)flows!["session"]!;
        var (wrong, wrongBody) = await server.SendAsync(HttpMethod.Delete, "/_matrix/client/v3/devices/LAPTOP",
            $$$"""{"auth":{"type":"m.login.password","identifier":{"type":"m.id.user","user":"{{{user}}}"},"password":"wrong","session":"{{{session}}}"}}""", phone);
        var (deleted, _) = await server.SendAsync(HttpMethod.Delete, "/_matrix/client/v3/devices/LAPTOP",
            $$$"""{"auth":{"type":"m.login.password","identifier":{"type":"m.id.user","user":"{{{user}}}"},"password":"{{{Password}}}","session":"{{{session}}}"}}""", phone);
        var (laptopAfter, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: laptop);
        var (_, list) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices", accessToken: phone);

        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("m.login.password", (string?)flows["flows"]![0]!["stages"]![0]);
        Assert.Equal((HttpStatusCode.Unauthorized, "M_FORBIDDEN"), (wrong.StatusCode, (string?)wrongBody!["errcode"]));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, laptopAfter.StatusCode);
        Assert.Equal(["PHONE"], list!["devices"]!.AsArray().Select(d => (string)d!["device_id"]!));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Delete_devices_removes_several_and_cannot_touch_another_users(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, first) = await server.CreateUserAsync("fay" + provider.ToString().ToLowerInvariant(), Password, "ONE");
        await server.LoginAsync(user, Password, "TWO");
        await server.LoginAsync(user, Password, "THREE");
        var (_, otherToken) = await server.CreateUserAsync("gus" + provider.ToString().ToLowerInvariant(), Password, "TWO");

        var (deleted, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/delete_devices",
            $$$"""{"devices":["TWO","THREE","NEVER"],"auth":{"type":"m.login.password","user":"{{{user}}}","password":"{{{Password}}}"}}""", first);
        var (_, list) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices", accessToken: first);
        var (other, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/account/whoami", accessToken: otherToken);
        var (noDevices, noDevicesBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/delete_devices", "{}", first);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(["ONE"], list!["devices"]!.AsArray().Select(d => (string)d!["device_id"]!));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), (noDevices.StatusCode, (string?)noDevicesBody!["errcode"]));
    }
}
