using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Rooms;
using Homeserver.Tests.Sync;

namespace Homeserver.Tests.Presence;

/// <summary>Presence (client-server API, "Presence").</summary>
public sealed class PresenceTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Presence_is_set_read_by_room_mates_and_delivered_through_sync(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (alice, aliceToken) = await server.CreateUserAsync(RoomTests.Name("present"));
        var (bob, bobToken) = await server.CreateUserAsync(RoomTests.Name("watcher"));
        var (_, strangerToken) = await server.CreateUserAsync(RoomTests.Name("stranger"));
        var roomId = await RoomTests.CreateRoomAsync(server, aliceToken, """{"preset":"public_chat"}""");
        await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", bobToken);
        var bobSince = (string)(await SyncTests.SyncAsync(server, bobToken, null))["next_batch"]!;

        var (set, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/presence/{alice}/status", """{"presence":"unavailable","status_msg":"lunch"}""", aliceToken);
        var (_, seen) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/presence/{alice}/status", accessToken: bobToken);
        var (hidden, _) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/presence/{alice}/status", accessToken: strangerToken);
        var (other, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/presence/{bob}/status", """{"presence":"online"}""", aliceToken);
        var (bad, badBody) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/presence/{alice}/status", """{"presence":"asleep"}""", aliceToken);
        var synced = await SyncTests.SyncAsync(server, bobToken, bobSince, "timeout=0&set_presence=offline");

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("unavailable", (string?)seen!["presence"]);
        Assert.Equal("lunch", (string?)seen["status_msg"]);
        Assert.Equal(HttpStatusCode.Forbidden, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), (bad.StatusCode, (string?)badBody!["errcode"]));
        var presence = synced["presence"]!["events"]!.AsArray().Single(e => (string?)e!["sender"] == alice)!;
        Assert.Equal("m.presence", (string?)presence["type"]);
        Assert.Equal("unavailable", (string?)presence["content"]!["presence"]);
    }
}
