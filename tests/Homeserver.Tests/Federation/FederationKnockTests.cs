using System.Text.Json.Nodes;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;
using static Homeserver.Tests.Federation.FederationTests;

namespace Homeserver.Tests.Federation;

/// <summary>Knocking on a room of another server (<c>make_knock</c>, <c>send_knock</c>), then being let in.</summary>
public sealed class FederationKnockTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    [Fact]
    public async Task A_user_knocks_on_a_room_of_another_server_sees_it_in_sync_and_is_invited_in()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken,
            """{"preset":"private_chat","name":"Knock first","initial_state":[{"type":"m.room.join_rules","state_key":"","content":{"join_rule":"knock"} }]}""");
        var since = (string)(await b.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: bobToken)).Body!["next_batch"]!;

        var knock = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/knock/{roomId}?via={Uri.EscapeDataString(a.ServerName)}", """{"reason":"Let me in"}""", bobToken);
        Assert.True(knock.Response.IsSuccessStatusCode, knock.Body?.ToJsonString());

        var sync = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/sync?timeout=0&since={since}", accessToken: bobToken);
        var knockState = sync.Body!["rooms"]!["knock"]![roomId]!["knock_state"]!["events"]!.AsArray();
        var onA = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.member/{Uri.EscapeDataString(bob)}", accessToken: aliceToken);
        Assert.Equal("Knock first", (string?)knockState.Single(e => (string?)e!["type"] == "m.room.name")!["content"]!["name"]);
        Assert.Equal("knock", (string?)knockState.Single(e => (string?)e!["type"] == "m.room.member" && (string?)e["state_key"] == bob)!["content"]!["membership"]);
        Assert.Equal(("knock", "Let me in"), ((string?)onA.Body!["membership"], (string?)onA.Body["reason"]));

        var invite = await a.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/invite", $$"""{"user_id":"{{bob}}"}""", aliceToken);
        Assert.True(invite.Response.IsSuccessStatusCode, invite.Body?.ToJsonString());
        await JoinAsync(b, bobToken, roomId, a);
        var joined = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.member/{Uri.EscapeDataString(bob)}", accessToken: aliceToken);
        Assert.Equal("join", (string?)joined.Body!["membership"]);
    }

    [Fact]
    public async Task Knocks_are_refused_for_other_servers_users_unsupported_versions_and_rooms_that_do_not_allow_them()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var inviteOnly = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"private_chat"}""");
        var knockable = await RoomTests.CreateRoomAsync(a, aliceToken,
            """{"preset":"private_chat","initial_state":[{"type":"m.room.join_rules","state_key":"","content":{"join_rule":"knock"} }]}""");
        var bobOfB = $"@someone:{b.ServerName}";

        var forOthers = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/make_knock/{knockable}/{Uri.EscapeDataString($"@eve:{a.ServerName}")}?ver=11");
        var oldVersions = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/make_knock/{knockable}/{Uri.EscapeDataString(bobOfB)}?ver=6");
        var notAllowed = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/knock/{inviteOnly}?via={Uri.EscapeDataString(a.ServerName)}", "{}", bobToken);

        Assert.Equal((403, "M_FORBIDDEN"), (forOthers.Status, (string?)forOthers.Body?["errcode"]));
        Assert.Equal((400, "M_INCOMPATIBLE_ROOM_VERSION"), (oldVersions.Status, (string?)oldVersions.Body?["errcode"]));
        Assert.Equal(403, (int)notAllowed.Response.StatusCode);
    }
}
