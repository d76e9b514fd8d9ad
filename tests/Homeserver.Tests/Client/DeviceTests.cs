using System.Net;
using Homeserver.Core.Accounts;
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
        var (user, phone) = await LoginAsync(server, "dora" + provider.ToString().ToLowerInvariant(), "PHONE");
        await LoginAsync(server, user, "LAPTOP");

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
    public async Task Deleting_a_device_needs_the_password_and_ends_its_session(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, phone) = await LoginAsync(server, "erik" + provider.ToString().ToLowerInvariant(), "PHONE");
        var (_, laptop) = await LoginAsync(server, user, "LAPTOP");

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
        var (user, first) = await LoginAsync(server, "fay" + provider.ToString().ToLowerInvariant(), "ONE");
        await LoginAsync(server, user, "TWO");
        await LoginAsync(server, user, "THREE");
        var (_, otherToken) = await LoginAsync(server, "gus" + provider.ToString().ToLowerInvariant(), "TWO");

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

    private static async Task<(string UserId, string Token)> LoginAsync(TestHomeserver server, string localpartOrUserId, string deviceId)
    {
        if (!localpartOrUserId.StartsWith('@'))
        {
            await using var scope = server.Services.CreateAsyncScope();
            localpartOrUserId = await scope.ServiceProvider.GetRequiredService<AccountService>().RegisterAsync(localpartOrUserId, Password, false, CancellationToken.None);
        }

        var (_, body) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/login",
            $$"""{"type":"m.login.password","user":"{{localpartOrUserId}}","password":"{{Password}}","device_id":"{{deviceId}}","initial_device_display_name":"test"}""");
        return (localpartOrUserId, (string)body!["access_token"]!);
    }
}
