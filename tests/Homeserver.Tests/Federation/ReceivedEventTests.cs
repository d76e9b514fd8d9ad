using System.Text.Json.Nodes;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Rooms;

namespace Homeserver.Tests.Federation;

/// <summary>
/// The room engine's handling of events from other servers (server-server API, "Checks performed on receipt of a
/// PDU", steps 4–6), fed straight to the engine with events that a second server's key really signed.
/// </summary>
public sealed class ReceivedEventTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>, IDisposable
{
    private const string Remote = "remote.test";
    private static int _counter;
    private readonly SigningKey _remoteKey = SigningKey.Generate("r1");

    [Theory]
    [OnEveryDatabase]
    public async Task A_remote_user_joins_and_talks_and_its_events_are_checked(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("alice"));
        var roomId = await RoomTests.CreateRoomAsync(server, token, """{"preset":"public_chat","name":"lobby"}""");
        var eve = $"@{Name("eve")}:{Remote}";
        var writer = server.Services.GetRequiredService<RoomEventWriter>();

        var join = await RemoteEventAsync(writer, roomId, EventTypes.Member, eve, eve, new JsonObject { ["membership"] = "join" });
        var joined = await writer.AcceptAsync(new RemoteEvents(roomId, [join], null), CancellationToken.None);
        var message = await RemoteEventAsync(writer, roomId, "m.room.message", null, eve, Text("hello from afar"));
        var talked = await writer.AcceptAsync(new RemoteEvents(roomId, [message], null), CancellationToken.None);
        var again = await writer.AcceptAsync(new RemoteEvents(roomId, [message], null), CancellationToken.None);

        // Eve may not raise her own power. A message's auth events are those of a power-levels event, so its
        // template becomes one that cites the right auth events and that the auth rules refuse.
        var levels = await RemoteEventAsync(writer, roomId, "m.room.message", null, eve, Text("x"), json =>
        {
            json["type"] = EventTypes.PowerLevels;
            json["state_key"] = "";
            json["content"] = new JsonObject { ["users"] = new JsonObject { [eve] = 100 } };
        });
        var grab = await writer.AcceptAsync(new RemoteEvents(roomId, [levels], null), CancellationToken.None);

        Assert.Equal([join.EventId], joined.EventIds);
        Assert.Equal([message.EventId], talked.EventIds);
        Assert.Equal([message.EventId], again.EventIds);
        Assert.Empty(grab.EventIds);
        Assert.Contains(levels.EventId, grab.Refused.Keys);
        var members = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/joined_members", accessToken: token);
        Assert.NotNull(members.Body!["joined"]![eve]);
        var messages = await RoomTests.MessagesAsync(server, token, roomId, "dir=b&limit=5");
        Assert.Equal(message.EventId, (string?)messages["chunk"]![0]!["event_id"]);
        Assert.Equal("hello from afar", (string?)messages["chunk"]![0]!["content"]!["body"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task An_event_allowed_where_it_was_sent_but_not_now_is_soft_failed(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("alice"));
        var roomId = await RoomTests.CreateRoomAsync(server, token, """{"preset":"public_chat"}""");
        var eve = $"@{Name("eve")}:{Remote}";
        var writer = server.Services.GetRequiredService<RoomEventWriter>();
        await writer.AcceptAsync(new RemoteEvents(roomId, [await RemoteEventAsync(writer, roomId, EventTypes.Member, eve, eve, new JsonObject { ["membership"] = "join" })], null),
            CancellationToken.None);

        // Written before the ban, arriving after it.
        var late = await RemoteEventAsync(writer, roomId, "m.room.message", null, eve, Text("said before the ban"));
        var (ban, _) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/ban", $$"""{"user_id":"{{eve}}"}""", token);
        var result = await writer.AcceptAsync(new RemoteEvents(roomId, [late], null), CancellationToken.None);

        Assert.True(ban.IsSuccessStatusCode);
        Assert.Equal([late.EventId], result.EventIds);
        var messages = await RoomTests.MessagesAsync(server, token, roomId, "dir=b&limit=20");
        Assert.DoesNotContain(messages["chunk"]!.AsArray(), e => (string?)e!["event_id"] == late.EventId);
        // Not built upon: the next event cites only the ban.
        var newcomer = $"@{Name("x")}:{Remote}";
        var next = await writer.TemplateAsync(new EventDraft(roomId, EventTypes.Member, newcomer, newcomer, new JsonObject { ["membership"] = "join" }), CancellationToken.None);
        Assert.DoesNotContain(next["prev_events"]!.AsArray(), p => (string?)p == late.EventId);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_fork_is_merged_and_its_conflicting_state_resolved(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (alice, token) = await server.CreateUserAsync(Name("alice"));
        var roomId = await RoomTests.CreateRoomAsync(server, token, """{"preset":"public_chat","topic":"first"}""");
        var eve = $"@{Name("eve")}:{Remote}";
        var writer = server.Services.GetRequiredService<RoomEventWriter>();
        await writer.AcceptAsync(new RemoteEvents(roomId, [await RemoteEventAsync(writer, roomId, EventTypes.Member, eve, eve, new JsonObject { ["membership"] = "join" })], null),
            CancellationToken.None);
        // Alice lets Eve set the topic, then both set it at once: Eve's event does not cite Alice's.
        var (_, levelsBody) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.power_levels", accessToken: token);
        levelsBody!["users"]![eve] = 50;
        await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.power_levels", levelsBody.ToJsonString(), token);
        // Dated a second back, so that the two topics never share a millisecond.
        var evesTopic = await RemoteEventAsync(writer, roomId, EventTypes.Topic, "", eve, new JsonObject { ["topic"] = "eve's" },
            json => json["origin_server_ts"] = (long)json["origin_server_ts"]! - 1000);
        var (_, mine) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.topic", """{"topic":"alice's"}""", token);
        var fork = await writer.AcceptAsync(new RemoteEvents(roomId, [evesTopic], null), CancellationToken.None);
        var merge = await writer.TemplateAsync(new EventDraft(roomId, "m.room.message", null, alice, Text("merge")), CancellationToken.None);

        Assert.Equal([evesTopic.EventId], fork.EventIds);
        var prevs = merge["prev_events"]!.AsArray().Select(p => (string?)p).ToHashSet();
        Assert.Equal(new HashSet<string?> { evesTopic.EventId, (string?)mine!["event_id"] }, prevs);
        // State resolution v2 orders topics by mainline (both follow the same power levels), then by time: Alice's,
        // the later one, is applied last and stands, as on every server that resolves these two branches.
        var (_, topic) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.topic", accessToken: token);
        Assert.Equal("alice's", (string?)topic!["topic"]);
    }

    public void Dispose() => _remoteKey.Dispose();

    /// <summary>An event of the remote server at the room's current head, signed with its key.</summary>
    private async Task<Pdu> RemoteEventAsync(RoomEventWriter writer, string roomId, string type, string? stateKey, string sender, JsonObject content,
        Action<JsonObject>? change = null)
    {
        var template = await writer.TemplateAsync(new EventDraft(roomId, type, stateKey, sender, content), CancellationToken.None);
        change?.Invoke(template);
        var rules = RoomVersions.Default;
        var eventId = EventSigner.HashAndSign(template, rules, Remote, _remoteKey);
        return Pdu.FromJson(template, eventId, rules);
    }

    private static JsonObject Text(string body) => new() { ["msgtype"] = "m.text", ["body"] = body };

    private static string Name(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}r";
}
