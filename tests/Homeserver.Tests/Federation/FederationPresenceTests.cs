using System.Text.Json.Nodes;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;
using static Homeserver.Tests.Federation.FederationTests;

namespace Homeserver.Tests.Federation;

/// <summary>Presence across servers: <c>m.presence</c> EDUs to and from the servers sharing a room.</summary>
public sealed class FederationPresenceTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    [Fact]
    public async Task Presence_reaches_users_of_another_server_sharing_a_room_and_nobody_speaks_for_anothers_users()
    {
        var (a, b) = (servers.A, servers.B);
        var (alice, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);
        var since = (string)(await b.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0&set_presence=offline", accessToken: bobToken)).Body!["next_batch"]!;

        var set = await a.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/presence/{Uri.EscapeDataString(alice)}/status", """{"presence":"unavailable","status_msg":"At lunch"}""", aliceToken);
        Assert.True(set.Response.IsSuccessStatusCode);

        JsonNode? seen = null;
        await EventuallyAsync(async () =>
        {
            var sync = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/sync?timeout=0&set_presence=offline&since={since}", accessToken: bobToken);
            seen = sync.Body?["presence"]?["events"]?.AsArray().FirstOrDefault(e => (string?)e!["sender"] == alice);
            return seen is not null;
        }, "alice's presence reaches bob's sync on the other server");
        var status = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/presence/{Uri.EscapeDataString(alice)}/status", accessToken: bobToken);

        // B speaking for alice, a user of A: ignored.
        var forged = await SignedRequests.SendAsync(b, a, HttpMethod.Put, $"/_matrix/federation/v1/send/presence{Guid.NewGuid():N}", new JsonObject
        {
            ["origin"] = b.ServerName,
            ["origin_server_ts"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["pdus"] = new JsonArray(),
            ["edus"] = new JsonArray(new JsonObject
            {
                ["edu_type"] = "m.presence",
                ["content"] = new JsonObject { ["push"] = new JsonArray(new JsonObject { ["user_id"] = alice, ["presence"] = "online", ["status_msg"] = "forged" }) },
            }),
        });
        var own = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/presence/{Uri.EscapeDataString(alice)}/status", accessToken: aliceToken);

        Assert.Equal(("unavailable", "At lunch"), ((string?)seen!["content"]!["presence"], (string?)seen["content"]!["status_msg"]));
        Assert.Equal(("unavailable", "At lunch"), ((string?)status.Body!["presence"], (string?)status.Body["status_msg"]));
        Assert.Equal(200, forged.Status);
        Assert.Equal(("unavailable", "At lunch"), ((string?)own.Body!["presence"], (string?)own.Body["status_msg"]));
    }
}
