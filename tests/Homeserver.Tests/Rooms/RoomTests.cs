using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Rooms;

/// <summary>Creating rooms, membership, sending and reading events (client-server API, "Rooms").</summary>
public sealed class RoomTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    private static int _counter;

    [Theory]
    [OnEveryDatabase]
    public async Task Every_room_version_can_be_created_and_chatted_in(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (alice, token) = await server.CreateUserAsync(Name("alice"));
        foreach (var version in Enumerable.Range(1, 12).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            var roomId = await CreateRoomAsync(server, token, $$"""{"room_version":"{{version}}","name":"v{{version}}","topic":"t"}""");
            var eventId = await SendTextAsync(server, token, roomId, "hello " + version);

            var (_, create) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.create", accessToken: token);
            var (_, name) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.name/", accessToken: token);
            var messages = await MessagesAsync(server, token, roomId, "dir=b&limit=50");
            Assert.Equal(version, (string?)create!["room_version"]);
            Assert.Equal("v" + version, (string?)name!["name"]);
            var chunk = messages["chunk"]!.AsArray();
            Assert.Equal(eventId, (string?)chunk[0]!["event_id"]);
            Assert.Equal("hello " + version, (string?)chunk[0]!["content"]!["body"]);
            Assert.Equal("m.room.create", (string?)chunk[^1]!["type"]);
            Assert.Equal(alice, (string?)chunk[^1]!["sender"]);
            Assert.All(chunk, e => Assert.Null(e!["signatures"]));
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Invited_users_join_and_both_sides_read_the_conversation(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (alice, aliceToken) = await server.CreateUserAsync(Name("alice"));
        var (bob, bobToken) = await server.CreateUserAsync(Name("bob"));
        var roomId = await CreateRoomAsync(server, aliceToken, $$"""{"invite":["{{bob}}"],"is_direct":true}""");

        var (invited, _) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/members?membership=invite", accessToken: aliceToken);
        var (join, joinBody) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", bobToken);
        await SendTextAsync(server, aliceToken, roomId, "hi bob");
        await SendTextAsync(server, bobToken, roomId, "hi alice");
        var (_, joined) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/joined_rooms", accessToken: bobToken);
        var (_, members) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/joined_members", accessToken: aliceToken);
        var fromAlice = await MessagesAsync(server, aliceToken, roomId, "dir=b&limit=2");
        var fromBob = await MessagesAsync(server, bobToken, roomId, "dir=b&limit=2");

        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.Equal((HttpStatusCode.OK, roomId), (join.StatusCode, (string?)joinBody!["room_id"]));
        Assert.Contains(roomId, joined!["joined_rooms"]!.AsArray().Select(r => (string?)r));
        Assert.Equal([alice, bob], members!["joined"]!.AsObject().Select(m => m.Key).Order());
        Assert.Equal(["hi alice", "hi bob"], fromAlice["chunk"]!.AsArray().Select(e => (string?)e!["content"]!["body"]));
        Assert.Equal(["hi alice", "hi bob"], fromBob["chunk"]!.AsArray().Select(e => (string?)e!["content"]!["body"]));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Pagination_walks_the_whole_history_in_both_directions(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("pager"));
        var roomId = await CreateRoomAsync(server, token, "{}");
        for (var i = 0; i < 25; i++)
        {
            await SendTextAsync(server, token, roomId, "m" + i);
        }

        var backwards = new List<string>();
        string? from = null;
        do
        {
            var page = await MessagesAsync(server, token, roomId, "dir=b&limit=7&filter=" + Uri.EscapeDataString("""{"types":["m.room.message"]}""") + (from is null ? "" : "&from=" + from));
            backwards.AddRange(page["chunk"]!.AsArray().Select(e => (string)e!["content"]!["body"]!));
            from = (string?)page["end"];
        }
        while (from is not null);

        var forwards = new List<string>();
        from = null;
        do
        {
            var page = await MessagesAsync(server, token, roomId, "dir=f&limit=10" + (from is null ? "" : "&from=" + from));
            forwards.AddRange(page["chunk"]!.AsArray().Where(e => (string?)e!["type"] == "m.room.message").Select(e => (string)e!["content"]!["body"]!));
            from = (string?)page["end"];
        }
        while (from is not null);

        var expected = Enumerable.Range(0, 25).Select(i => "m" + i).ToList();
        Assert.Equal(Enumerable.Reverse(expected), backwards);
        Assert.Equal(expected, forwards);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_repeated_transaction_gets_the_first_event_and_sends_nothing_more(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("txn"));
        var roomId = await CreateRoomAsync(server, token, "{}");

        var first = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/send/m.room.message/t1", """{"msgtype":"m.text","body":"once"}""", token);
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/send/m.room.message/t1", """{"msgtype":"m.text","body":"once"}""", token)));
        var messages = await MessagesAsync(server, token, roomId, "dir=b&limit=10");

        Assert.All(again, r => Assert.Equal((string?)first.Body!["event_id"], (string?)r.Body!["event_id"]));
        Assert.Single(messages["chunk"]!.AsArray(), e => (string?)e!["type"] == "m.room.message");
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_requests_get_the_spec_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("owner"));
        var (_, outsiderToken) = await server.CreateUserAsync(Name("outsider"));
        var roomId = await CreateRoomAsync(server, token, "{}");

        async Task<(HttpStatusCode, string?)> Call(HttpMethod method, string path, string? body = null, string? accessToken = null)
        {
            var (response, json) = await server.SendAsync(method, path, body, accessToken);
            return (response.StatusCode, (string?)json?["errcode"]);
        }

        var message = """{"msgtype":"m.text","body":"x"}""";
        Assert.Equal((HttpStatusCode.Unauthorized, "M_MISSING_TOKEN"), await Call(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/send/m.room.message/1", message));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_UNKNOWN_TOKEN"), await Call(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/send/m.room.message/1", message, "nope"));
        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), await Call(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/send/m.room.message/1", message, outsiderToken));
        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), await Call(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/messages?dir=b", accessToken: outsiderToken));
        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), await Call(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", outsiderToken));
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Call(HttpMethod.Put, "/_matrix/client/v3/rooms/!nowhere:localhost/send/m.room.message/1", message, token));
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Call(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/event/$missing", accessToken: token));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Call(HttpMethod.Put, "/_matrix/client/v3/rooms/not-a-room/send/m.room.message/1", message, token));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Call(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/messages?dir=b&from=garbage", accessToken: token));
        Assert.Equal((HttpStatusCode.BadRequest, "M_MISSING_PARAM"), await Call(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/invite", "{}", token));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Call(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/invite", """{"user_id":"bob"}""", token));
        Assert.Equal((HttpStatusCode.BadRequest, "M_UNSUPPORTED_ROOM_VERSION"), await Call(HttpMethod.Post, "/_matrix/client/v3/createRoom", """{"room_version":"99"}""", token));
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), await Call(HttpMethod.Post, "/_matrix/client/v3/createRoom", """{"name":5}""", token));
        var big = $$"""{"msgtype":"m.text","body":"{{new string('x', 70_000)}}"}""";
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE"), await Call(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/send/m.room.message/big", big, token));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Redaction_strips_the_event_for_every_reader(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("redactor"));
        var (_, otherToken) = await server.CreateUserAsync(Name("bystander"));
        var roomId = await CreateRoomAsync(server, token, """{"preset":"public_chat"}""");
        await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", otherToken);
        var eventId = await SendTextAsync(server, token, roomId, "oops");
        var othersEvent = await SendTextAsync(server, otherToken, roomId, "mine");

        var (redacted, redactedBody) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/redact/{Uri.EscapeDataString(eventId)}/r1", """{"reason":"typo"}""", token);
        var (forbidden, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/redact/{Uri.EscapeDataString(eventId)}/r2", "{}", otherToken);
        var (moderated, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/redact/{Uri.EscapeDataString(othersEvent)}/r3", "{}", token);
        var (_, seen) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/event/{Uri.EscapeDataString(eventId)}", accessToken: otherToken);

        Assert.Equal(HttpStatusCode.OK, redacted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, moderated.StatusCode);
        Assert.Equal("{}", seen!["content"]!.ToJsonString());
        Assert.Equal((string?)redactedBody!["event_id"], (string?)seen["unsigned"]!["redacted_because"]!["event_id"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Kick_ban_unban_leave_and_forget(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (mod, token) = await server.CreateUserAsync(Name("mod"));
        var (user, userToken) = await server.CreateUserAsync(Name("member"));
        var roomId = await CreateRoomAsync(server, token, """{"preset":"public_chat"}""");
        async Task<HttpStatusCode> Post(string path, string body, string accessToken) => (await server.SendAsync(HttpMethod.Post, path, body, accessToken)).Response.StatusCode;

        Assert.Equal(HttpStatusCode.OK, await Post($"/_matrix/client/v3/join/{roomId}", "{}", userToken));
        Assert.Equal(HttpStatusCode.Forbidden, await Post($"/_matrix/client/v3/rooms/{roomId}/kick", $$"""{"user_id":"{{mod}}"}""", userToken));
        Assert.Equal(HttpStatusCode.OK, await Post($"/_matrix/client/v3/rooms/{roomId}/kick", $$"""{"user_id":"{{user}}","reason":"spam"}""", token));
        Assert.Equal(HttpStatusCode.OK, await Post($"/_matrix/client/v3/join/{roomId}", "{}", userToken));
        Assert.Equal(HttpStatusCode.OK, await Post($"/_matrix/client/v3/rooms/{roomId}/ban", $$"""{"user_id":"{{user}}"}""", token));
        Assert.Equal(HttpStatusCode.Forbidden, await Post($"/_matrix/client/v3/join/{roomId}", "{}", userToken));
        Assert.Equal(HttpStatusCode.OK, await Post($"/_matrix/client/v3/rooms/{roomId}/unban", $$"""{"user_id":"{{user}}"}""", token));
        Assert.Equal(HttpStatusCode.Forbidden, await Post($"/_matrix/client/v3/rooms/{roomId}/unban", $$"""{"user_id":"{{user}}"}""", token));
        Assert.Equal(HttpStatusCode.OK, await Post($"/_matrix/client/v3/join/{roomId}", "{}", userToken));
        Assert.Equal(HttpStatusCode.BadRequest, await Post($"/_matrix/client/v3/rooms/{roomId}/forget", "{}", userToken));
        Assert.Equal(HttpStatusCode.OK, await Post($"/_matrix/client/v3/rooms/{roomId}/leave", "{}", userToken));
        Assert.Equal(HttpStatusCode.OK, await Post($"/_matrix/client/v3/rooms/{roomId}/forget", "{}", userToken));
        var (_, joined) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/joined_rooms", accessToken: userToken);
        Assert.DoesNotContain(roomId, joined!["joined_rooms"]!.AsArray().Select(r => (string?)r));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task History_visibility_decides_what_a_late_joiner_sees(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("host"));
        var (_, lateToken) = await server.CreateUserAsync(Name("late"));
        var shared = await CreateRoomAsync(server, token, """{"preset":"public_chat"}""");
        var joinedOnly = await CreateRoomAsync(server, token,
            """{"preset":"public_chat","initial_state":[{"type":"m.room.history_visibility","content":{"history_visibility":"joined"}}]}""");
        foreach (var room in new[] { shared, joinedOnly })
        {
            await SendTextAsync(server, token, room, "before");
            await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{room}", "{}", lateToken);
            await SendTextAsync(server, token, room, "after");
        }

        static IEnumerable<string?> Bodies(JsonObject page) =>
            page["chunk"]!.AsArray().Where(e => (string?)e!["type"] == "m.room.message").Select(e => (string?)e!["content"]!["body"]);

        Assert.Equal(["after", "before"], Bodies(await MessagesAsync(server, lateToken, shared, "dir=b")));
        Assert.Equal(["after"], Bodies(await MessagesAsync(server, lateToken, joinedOnly, "dir=b")));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Aliases_are_created_resolved_joined_through_and_deleted(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("aliaser"));
        var (_, guestToken) = await server.CreateUserAsync(Name("visitor"));
        var localpart = Name("lounge");
        var roomId = await CreateRoomAsync(server, token, $$"""{"preset":"public_chat","room_alias_name":"{{localpart}}"}""");
        var alias = Uri.EscapeDataString($"#{localpart}:localhost");

        var (taken, takenBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", $$"""{"room_alias_name":"{{localpart}}"}""", token);
        var (_, resolved) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/directory/room/{alias}");
        var (_, joined) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{alias}", "{}", guestToken);
        var (_, canonical) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.canonical_alias", accessToken: guestToken);
        var (_, aliases) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/aliases", accessToken: guestToken);
        var (deleteByOther, _) = await server.SendAsync(HttpMethod.Delete, $"/_matrix/client/v3/directory/room/{alias}", accessToken: guestToken);
        var (deleted, _) = await server.SendAsync(HttpMethod.Delete, $"/_matrix/client/v3/directory/room/{alias}", accessToken: token);
        var (gone, _) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/directory/room/{alias}");

        Assert.Equal((HttpStatusCode.BadRequest, "M_ROOM_IN_USE"), (taken.StatusCode, (string?)takenBody!["errcode"]));
        Assert.Equal(roomId, (string?)resolved!["room_id"]);
        Assert.Equal(roomId, (string?)joined!["room_id"]);
        Assert.Equal($"#{localpart}:localhost", (string?)canonical!["alias"]);
        Assert.Equal([$"#{localpart}:localhost"], aliases!["aliases"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(HttpStatusCode.Forbidden, deleteByOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Timestamp_to_event_finds_the_closest_event_in_either_direction(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("clock"));
        var (_, stranger) = await server.CreateUserAsync(Name("stranger"));
        var roomId = await CreateRoomAsync(server, token, "{}");
        var first = await SendTextAsync(server, token, roomId, "first");
        var firstTs = await OriginServerTsAsync(server, token, roomId, first);
        string second;
        long secondTs;
        do
        {
            // Two events in the same millisecond would make "after the first" ambiguous.
            await Task.Delay(5);
            second = await SendTextAsync(server, token, roomId, "second");
            secondTs = await OriginServerTsAsync(server, token, roomId, second);
        }
        while (secondTs == firstTs);

        async Task<(HttpStatusCode Status, JsonObject? Body)> LookUpAsync(string query, string accessToken)
        {
            var (response, body) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v1/rooms/{roomId}/timestamp_to_event?{query}", accessToken: accessToken);
            return (response.StatusCode, body);
        }

        var (_, after) = await LookUpAsync($"ts={firstTs + 1}&dir=f", token);
        var (_, before) = await LookUpAsync($"ts={secondTs - 1}&dir=b", token);
        var (_, exact) = await LookUpAsync($"ts={secondTs}&dir=b", token);
        Assert.Equal((second, secondTs), ((string?)after!["event_id"], (long)after["origin_server_ts"]!));
        Assert.Equal(first, (string?)before!["event_id"]);
        Assert.Equal(second, (string?)exact!["event_id"]);
        Assert.Equal("M_NOT_FOUND", (string?)(await LookUpAsync($"ts={secondTs + 60_000}&dir=f", token)).Body!["errcode"]);
        Assert.Equal("M_NOT_FOUND", (string?)(await LookUpAsync("ts=0&dir=b", token)).Body!["errcode"]);
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), Error(await LookUpAsync("ts=soon&dir=f", token)));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), Error(await LookUpAsync("ts=1&dir=sideways", token)));
        Assert.Equal((HttpStatusCode.BadRequest, "M_MISSING_PARAM"), Error(await LookUpAsync("dir=f", token)));
        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), Error(await LookUpAsync("ts=1&dir=f", stranger)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Context_returns_the_event_with_its_neighbours_and_state(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("ctx"));
        var roomId = await CreateRoomAsync(server, token, """{"name":"ctx"}""");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await SendTextAsync(server, token, roomId, "c" + i));
        }

        var (_, context) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/context/{Uri.EscapeDataString(ids[2])}?limit=2", accessToken: token);

        Assert.Equal("c2", (string?)context!["event"]!["content"]!["body"]);
        Assert.Equal(["c1"], context["events_before"]!.AsArray().Select(e => (string?)e!["content"]!["body"]));
        Assert.Equal(["c3"], context["events_after"]!.AsArray().Select(e => (string?)e!["content"]!["body"]));
        Assert.Contains(context["state"]!.AsArray(), e => (string?)e!["type"] == "m.room.name");
    }

    internal static string Name(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}";

    internal static async Task<string> CreateRoomAsync(TestHomeserver server, string token, string body)
    {
        var (response, json) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", body, token);
        Assert.True(response.IsSuccessStatusCode, $"createRoom failed: {response.StatusCode} {json?.ToJsonString()}");
        return (string)json!["room_id"]!;
    }

    internal static async Task<string> SendTextAsync(TestHomeserver server, string token, string roomId, string body)
    {
        var content = new JsonObject { ["msgtype"] = "m.text", ["body"] = body }.ToJsonString();
        var (response, json) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/send/m.room.message/{Guid.NewGuid():N}", content, token);
        Assert.True(response.IsSuccessStatusCode, $"send failed: {response.StatusCode} {json?.ToJsonString()}");
        return (string)json!["event_id"]!;
    }

    internal static async Task<JsonObject> MessagesAsync(TestHomeserver server, string token, string roomId, string query)
    {
        var (response, json) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/messages?{query}", accessToken: token);
        Assert.True(response.IsSuccessStatusCode, $"messages failed: {response.StatusCode} {json?.ToJsonString()}");
        return json!;
    }

    private static (HttpStatusCode, string?) Error((HttpStatusCode Status, JsonObject? Body) answer) => (answer.Status, (string?)answer.Body?["errcode"]);

    internal static async Task<long> OriginServerTsAsync(TestHomeserver server, string token, string roomId, string eventId)
    {
        var (_, e) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/event/{eventId}", accessToken: token);
        return (long)e!["origin_server_ts"]!;
    }
}
