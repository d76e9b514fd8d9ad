using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Rooms;

namespace Homeserver.Tests.Sync;

/// <summary><c>/sync</c> (client-server API, "Syncing").</summary>
public sealed class SyncTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Initial_sync_holds_joined_rooms_with_state_and_timeline_and_incremental_sync_only_what_is_new(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (alice, token) = await server.CreateUserAsync(RoomTests.Name("syncer"));
        var roomId = await RoomTests.CreateRoomAsync(server, token, """{"name":"Sync room"}""");
        for (var i = 0; i < 15; i++)
        {
            await RoomTests.SendTextAsync(server, token, roomId, "m" + i);
        }

        var initial = await SyncAsync(server, token, null);
        var room = initial["rooms"]!["join"]![roomId]!;
        var timeline = room["timeline"]!;
        var state = room["state"]!["events"]!.AsArray();
        await RoomTests.SendTextAsync(server, token, roomId, "new");
        var incremental = await SyncAsync(server, token, (string)initial["next_batch"]!);
        var quiet = await SyncAsync(server, token, (string)incremental["next_batch"]!, "timeout=0");
        var older = await RoomTests.MessagesAsync(server, token, roomId, $"dir=b&limit=3&from={(string)timeline["prev_batch"]!}");

        Assert.True((bool)timeline["limited"]!);
        Assert.Equal(Enumerable.Range(5, 10).Select(i => "m" + i), timeline["events"]!.AsArray().Select(e => (string?)e!["content"]!["body"]));
        Assert.Contains(state, e => (string?)e!["type"] == "m.room.name");
        Assert.Contains(state, e => (string?)e!["type"] == "m.room.member" && (string?)e["state_key"] == alice);
        Assert.Equal(["new"], incremental["rooms"]!["join"]![roomId]!["timeline"]!["events"]!.AsArray().Select(e => (string?)e!["content"]!["body"]));
        Assert.Empty(incremental["rooms"]!["join"]![roomId]!["state"]!["events"]!.AsArray());
        Assert.Null(quiet["rooms"]);
        Assert.Equal(["m4", "m3", "m2"], older["chunk"]!.AsArray().Select(e => (string?)e!["content"]!["body"]));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_waiting_sync_wakes_when_a_message_arrives_and_invites_reach_the_invitee(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, aliceToken) = await server.CreateUserAsync(RoomTests.Name("waker"));
        var (bob, bobToken) = await server.CreateUserAsync(RoomTests.Name("sleeper"));
        var roomId = await RoomTests.CreateRoomAsync(server, aliceToken, "{}");
        var bobSince = (string)(await SyncAsync(server, bobToken, null))["next_batch"]!;

        var inviteWait = SyncAsync(server, bobToken, bobSince, "timeout=30000");
        await Task.Delay(200);
        await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/invite", $$"""{"user_id":"{{bob}}"}""", aliceToken);
        var invited = await inviteWait;
        await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", bobToken);
        var joined = await SyncAsync(server, bobToken, (string)invited["next_batch"]!);

        var stopwatch = Stopwatch.StartNew();
        var messageWait = SyncAsync(server, bobToken, (string)joined["next_batch"]!, "timeout=30000");
        await Task.Delay(200);
        await RoomTests.SendTextAsync(server, aliceToken, roomId, "wake up");
        var woken = await messageWait;
        stopwatch.Stop();

        var inviteState = invited["rooms"]!["invite"]![roomId]!["invite_state"]!["events"]!.AsArray();
        Assert.Contains(inviteState, e => (string?)e!["type"] == "m.room.member" && (string?)e["content"]!["membership"] == "invite");
        Assert.Contains(joined["rooms"]!["join"]![roomId]!["timeline"]!["events"]!.AsArray(), e => (string?)e!["state_key"] == bob);
        Assert.Equal(["wake up"], woken["rooms"]!["join"]![roomId]!["timeline"]!["events"]!.AsArray().Select(e => (string?)e!["content"]!["body"]));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(25), "the sync returned at its timeout, not when the message came");
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Leaving_shows_the_room_under_leave_and_lazy_loading_sends_only_the_senders(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (alice, aliceToken) = await server.CreateUserAsync(RoomTests.Name("lazy"));
        var roomId = await RoomTests.CreateRoomAsync(server, aliceToken, """{"preset":"public_chat"}""");
        var others = new List<(string Id, string Token)>();
        for (var i = 0; i < 3; i++)
        {
            var other = await server.CreateUserAsync(RoomTests.Name("crowd"));
            await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", other.AccessToken);
            others.Add(other);
        }

        await RoomTests.SendTextAsync(server, others[0].Token, roomId, "only me");
        var filter = Uri.EscapeDataString("""{"room":{"timeline":{"limit":1},"state":{"lazy_load_members":true}}}""");
        var lazy = await SyncAsync(server, aliceToken, null, "filter=" + filter);
        var since = (string)lazy["next_batch"]!;
        await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/leave", "{}", aliceToken);
        var left = await SyncAsync(server, aliceToken, since);

        var members = lazy["rooms"]!["join"]![roomId]!["state"]!["events"]!.AsArray()
            .Where(e => (string?)e!["type"] == "m.room.member").Select(e => (string?)e!["state_key"]).Order();
        Assert.Equal(new[] { alice, others[0].Id }.Order(), members);
        Assert.Equal(4, (int)lazy["rooms"]!["join"]![roomId]!["summary"]!["m.joined_member_count"]!);
        Assert.Contains(left["rooms"]!["leave"]![roomId]!["timeline"]!["events"]!.AsArray(), e => (string?)e!["state_key"] == alice);
        Assert.Null(left["rooms"]!["join"]?[roomId]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Typing_receipts_read_markers_and_tags_reach_sync(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, aliceToken) = await server.CreateUserAsync(RoomTests.Name("reader"));
        var (bob, bobToken) = await server.CreateUserAsync(RoomTests.Name("typist"));
        var roomId = await RoomTests.CreateRoomAsync(server, aliceToken, """{"preset":"public_chat"}""");
        await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", bobToken);
        var eventId = await RoomTests.SendTextAsync(server, aliceToken, roomId, "read me");
        var aliceSince = (string)(await SyncAsync(server, aliceToken, null))["next_batch"]!;
        var bobSince = (string)(await SyncAsync(server, bobToken, null))["next_batch"]!;
        var escaped = Uri.EscapeDataString(eventId);

        var (typing, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/typing/{bob}", """{"typing":true,"timeout":20000}""", bobToken);
        var (receipt, _) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/receipt/m.read/{escaped}", "{}", bobToken);
        var (markers, _) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/read_markers",
            $$"""{"m.fully_read":"{{eventId}}","m.read.private":"{{eventId}}"}""", bobToken);
        var (tag, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/user/{bob}/rooms/{roomId}/tags/u.work", """{"order":0.5}""", bobToken);
        var (_, tags) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/user/{bob}/rooms/{roomId}/tags", accessToken: bobToken);
        var aliceSees = (await SyncAsync(server, aliceToken, aliceSince))["rooms"]!["join"]![roomId]!;
        var bobSees = (await SyncAsync(server, bobToken, bobSince))["rooms"]!["join"]![roomId]!;
        await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/typing/{bob}", """{"typing":false}""", bobToken);
        var stopped = (await SyncAsync(server, aliceToken, aliceSince))["rooms"]!["join"]![roomId]!;

        Assert.All(new[] { typing, receipt, markers, tag }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var ephemeral = aliceSees["ephemeral"]!["events"]!.AsArray();
        Assert.Equal([bob], ephemeral.Single(e => (string?)e!["type"] == "m.typing")!["content"]!["user_ids"]!.AsArray().Select(u => (string?)u));
        var receipts = ephemeral.Single(e => (string?)e!["type"] == "m.receipt")!["content"]![eventId]!.AsObject();
        Assert.NotNull(receipts["m.read"]![bob]!["ts"]);
        Assert.Null(receipts["m.read.private"]);
        var bobReceipts = bobSees["ephemeral"]!["events"]!.AsArray().Single(e => (string?)e!["type"] == "m.receipt")!["content"]![eventId]!;
        Assert.NotNull(bobReceipts["m.read.private"]![bob]);
        var bobAccountData = bobSees["account_data"]!["events"]!.AsArray();
        Assert.Equal(eventId, (string?)bobAccountData.Single(e => (string?)e!["type"] == "m.fully_read")!["content"]!["event_id"]);
        Assert.Equal(0.5, (double)bobAccountData.Single(e => (string?)e!["type"] == "m.tag")!["content"]!["tags"]!["u.work"]!["order"]!);
        Assert.Equal(0.5, (double)tags!["tags"]!["u.work"]!["order"]!);
        Assert.Empty(stopped["ephemeral"]!["events"]!.AsArray().Single(e => (string?)e!["type"] == "m.typing")!["content"]!["user_ids"]!.AsArray());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_sync_parameters_get_the_spec_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(RoomTests.Name("badsync"));
        foreach (var query in new[] { "since=nonsense", "timeout=-1", "filter=%7Bnot-json", "full_state=maybe", "filter=999999" })
        {
            var (response, body) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?" + query, accessToken: token);
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{query}: {response.StatusCode}");
            Assert.StartsWith("M_", (string?)body!["errcode"]);
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Sync_is_served_under_r0_too_on_the_client_listener_only_and_to_sessions_only(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(RoomTests.Name("syncroute"));

        var (r0, r0Body) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/r0/sync?timeout=0", accessToken: token);
        var (anonymous, anonymousBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0");
        var (unknown, unknownBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: "not-a-token");
        var (posted, postedBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/sync", "{}", token);
        using var onFederation = new HttpRequestMessage(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0") { Headers = { { "Authorization", "Bearer " + token } } };
        var federation = await server.Federation.SendAsync(onFederation);

        Assert.Equal(HttpStatusCode.OK, r0.StatusCode);
        Assert.Equal("application/json", r0.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty((string?)r0Body!["next_batch"]));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_MISSING_TOKEN"), (anonymous.StatusCode, (string?)anonymousBody!["errcode"]));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN"), (unknown.StatusCode, (string?)unknownBody!["errcode"]));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "M_UNRECOGNIZED"), (posted.StatusCode, (string?)postedBody!["errcode"]));
        Assert.Equal(HttpStatusCode.NotFound, federation.StatusCode);
    }

    internal static async Task<JsonObject> SyncAsync(TestHomeserver server, string token, string? since, string query = "timeout=0")
    {
        var path = "/_matrix/client/v3/sync?" + query + (since is null ? "" : "&since=" + Uri.EscapeDataString(since));
        var (response, json) = await server.SendAsync(HttpMethod.Get, path, accessToken: token);
        Assert.True(response.IsSuccessStatusCode, $"sync failed: {response.StatusCode} {json?.ToJsonString()}");
        return json!;
    }
}
