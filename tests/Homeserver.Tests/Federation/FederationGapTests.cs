using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Federation.Client;
using Homeserver.Federation.Keys;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Gaps that <c>get_missing_events</c> cannot close (server-server API, "Checks performed on receipt of a PDU"):
/// the state before the oldest fetched event is asked with <c>/state_ids</c>, its events fetched and checked.
/// </summary>
public sealed class FederationGapTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>, IDisposable
{
    private static int s_stubPort = 41000;
    private readonly SigningKey _remoteKey = SigningKey.Generate("stub1");

    [Fact]
    public async Task A_gap_deeper_than_get_missing_events_reaches_is_closed_with_the_state_before_it()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(b, bobToken, """{"preset":"public_chat","topic":"before the gap"}""");
        await FederationTests.JoinAsync(a, aliceToken, roomId, b);

        await a.StopAsync();
        try
        {
            await b.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.topic", """{"topic":"set in the gap"}""", bobToken);
            await b.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.name", """{"name":"named in the gap"}""", bobToken);
            string last = "";
            for (var i = 0; i < 25; i++)
            {
                last = await RoomTests.SendTextAsync(b, bobToken, roomId, $"gap {i}");
            }

            // B forgets everything but the last message: A receives one event whose ancestry is 26 events deeper
            // than what it has, past the 20 that get_missing_events may fetch, with the state changes at the bottom.
            await using var scope = b.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Homeserver.Storage.HomeserverDbContext>();
            var lastNid = await db.Events.Where(e => e.EventId == last).Select(e => e.EventNid).SingleAsync();
            Assert.Equal(26, await db.FederationOutbox.Where(o => o.Destination == a.ServerName && o.EventNid != lastNid).ExecuteDeleteAsync());
        }
        finally
        {
            await a.RestartAsync();
        }

        await FederationTests.EventuallyAsync(async () =>
        {
            var messages = await RoomTests.MessagesAsync(a, aliceToken, roomId, "dir=b&limit=30");
            var bodies = messages["chunk"]!.AsArray().Select(e => (string?)e!["content"]?["body"]).ToHashSet();
            return Enumerable.Range(4, 21).All(i => bodies.Contains($"gap {i}"));
        }, "the last message and the twenty before it are placed on a");
        var topic = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.topic", accessToken: aliceToken);
        var name = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.name", accessToken: aliceToken);
        Assert.Equal("set in the gap", (string?)topic.Body?["topic"]);
        Assert.Equal("named in the gap", (string?)name.Body?["name"]);
    }

    [Fact]
    public async Task Forged_events_in_the_state_of_a_gap_are_left_out()
    {
        var b = servers.B;
        var rules = RoomVersions.Default;
        var (remote, alice, aliceToken, roomId, eve, writer, join) = await RoomWithRemoteMemberAsync(b);

        // Eve's server wrote 26 messages that B never saw; it will send only the last.
        var template = await writer.TemplateAsync(new EventDraft(roomId, "m.room.message", null, eve, Text("from afar 0")), CancellationToken.None);
        var chain = new List<(string Id, JsonObject Json)>();
        for (var i = 0; i < 26; i++)
        {
            var json = template.DeepClone().AsObject();
            json["content"] = Text($"from afar {i}");
            json["depth"] = (long)template["depth"]! + i;
            json["origin_server_ts"] = (long)template["origin_server_ts"]! + i;
            if (i > 0)
            {
                json["prev_events"] = new JsonArray(chain[^1].Id);
            }

            chain.Add((EventSigner.HashAndSign(json, rules, remote, _remoteKey), json));
        }

        // Two forgeries among the state it answers: a power-levels event in Alice's name that her server never
        // signed (Eve's server signed it with its own key under B's name), and, under an ID of its own choosing, an
        // event that is really another one.
        var (_, levels) = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.power_levels", accessToken: aliceToken);
        levels!["users"]![eve] = 100;
        var forgedLevels = await writer.TemplateAsync(new EventDraft(roomId, EventTypes.PowerLevels, "", alice, levels), CancellationToken.None);
        var forgedLevelsId = EventSigner.HashAndSign(forgedLevels, rules, b.ServerName, _remoteKey);
        var impostor = await writer.TemplateAsync(
            new EventDraft(roomId, EventTypes.Member, eve, eve, new JsonObject { ["membership"] = "join", ["displayname"] = "impostor" }), CancellationToken.None);
        EventSigner.HashAndSign(impostor, rules, remote, _remoteKey);
        var claimedId = "$" + new string('A', 43);
        var state = await FederationTests.StateAsync(b, aliceToken, roomId);
        var stateIds = new JsonArray([.. state.Select(e => (JsonNode?)(string?)e!["event_id"]), forgedLevelsId, claimedId]);
        var edge = chain[5].Id;

        var stub = ScriptedOrigin(remote, (path, query) => path switch
        {
            _ when path.StartsWith("/_matrix/federation/v1/get_missing_events/", StringComparison.Ordinal) =>
                Json(new JsonObject { ["events"] = new JsonArray([.. chain.Skip(5).Take(20).Select(c => (JsonNode)c.Json.DeepClone())]) }),
            _ when path.StartsWith("/_matrix/federation/v1/state_ids/", StringComparison.Ordinal) && query == $"?event_id={edge}" =>
                Json(new JsonObject { ["pdu_ids"] = stateIds.DeepClone(), ["auth_chain_ids"] = new JsonArray() }),
            _ when path == $"/_matrix/federation/v1/event/{forgedLevelsId}" => Json(new JsonObject { ["pdus"] = new JsonArray(forgedLevels.DeepClone()) }),
            _ when path == $"/_matrix/federation/v1/event/{claimedId}" => Json(new JsonObject { ["pdus"] = new JsonArray(impostor.DeepClone()) }),
            _ => null,
        });

        var answer = await ReceiveThroughStubAsync(stub, remote, new JsonObject { ["pdus"] = new JsonArray(chain[^1].Json.DeepClone()) });

        Assert.Contains(stub.Paths, p => p.StartsWith("/_matrix/federation/v1/state_ids/", StringComparison.Ordinal));
        Assert.Contains(stub.Paths, p => p.StartsWith("/_matrix/federation/v1/event/", StringComparison.Ordinal));
        Assert.Equal("{}", answer["pdus"]?[chain[^1].Id]?.ToJsonString());
        var forged = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/event/{Uri.EscapeDataString(forgedLevelsId)}", accessToken: aliceToken);
        Assert.Equal(404, (int)forged.Response.StatusCode);
        var (_, levelsAfter) = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.power_levels", accessToken: aliceToken);
        Assert.Null(levelsAfter!["users"]![eve]);
        var (_, member) = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.member/{eve}", accessToken: aliceToken);
        Assert.Null((string?)member!["displayname"]);
        var messages = await RoomTests.MessagesAsync(b, aliceToken, roomId, "dir=b&limit=30");
        var bodies = messages["chunk"]!.AsArray().Select(e => (string?)e!["content"]?["body"]).ToHashSet();
        Assert.All(Enumerable.Range(5, 21), i => Assert.Contains($"from afar {i}", bodies));
    }

    [Fact]
    public async Task An_event_citing_one_held_only_as_an_outlier_is_placed_with_the_state_fetched_for_it()
    {
        var b = servers.B;
        var rules = RoomVersions.Default;
        var (remote, _, aliceToken, roomId, eve, writer, join) = await RoomWithRemoteMemberAsync(b);

        // Eve renames herself and talks on a branch B never sees. A first message, whose prev event no one gives B,
        // brings the rename along only in the state before it, where B stores it as an outlier; a second cites it.
        var rename = await writer.TemplateAsync(
            new EventDraft(roomId, EventTypes.Member, eve, eve, new JsonObject { ["membership"] = "join", ["displayname"] = "eve in the gap" }), CancellationToken.None);
        var renameId = EventSigner.HashAndSign(rename, rules, remote, _remoteKey);
        var first = await writer.TemplateAsync(new EventDraft(roomId, "m.room.message", null, eve, Text("past an unknown event")), CancellationToken.None);
        var second = first.DeepClone().AsObject();
        first["prev_events"] = new JsonArray("$" + new string('B', 43));
        var firstId = EventSigner.HashAndSign(first, rules, remote, _remoteKey);
        second["content"] = Text("after the outlier");
        second["prev_events"] = new JsonArray(renameId);
        second["depth"] = (long)rename["depth"]! + 1;
        var secondId = EventSigner.HashAndSign(second, rules, remote, _remoteKey);
        var state = await FederationTests.StateAsync(b, aliceToken, roomId);
        var stateIds = new JsonArray([.. state.Select(e => (string?)e!["event_id"]).Where(id => id != join.EventId).Select(id => (JsonNode?)id), renameId]);

        var stub = ScriptedOrigin(remote, (path, _) => path switch
        {
            _ when path.StartsWith("/_matrix/federation/v1/get_missing_events/", StringComparison.Ordinal) => Json(new JsonObject { ["events"] = new JsonArray() }),
            _ when path.StartsWith("/_matrix/federation/v1/state_ids/", StringComparison.Ordinal) =>
                Json(new JsonObject { ["pdu_ids"] = stateIds.DeepClone(), ["auth_chain_ids"] = new JsonArray() }),
            _ when path == $"/_matrix/federation/v1/event/{renameId}" => Json(new JsonObject { ["pdus"] = new JsonArray(rename.DeepClone()) }),
            _ => null,
        });

        var firstAnswer = await ReceiveThroughStubAsync(stub, remote, new JsonObject { ["pdus"] = new JsonArray(first.DeepClone()) });
        var secondAnswer = await ReceiveThroughStubAsync(stub, remote, new JsonObject { ["pdus"] = new JsonArray(second.DeepClone()) });

        Assert.Equal("{}", firstAnswer["pdus"]?[firstId]?.ToJsonString());
        Assert.Equal("{}", secondAnswer["pdus"]?[secondId]?.ToJsonString());
        Assert.Equal(2, stub.Paths.Count(p => p.StartsWith("/_matrix/federation/v1/state_ids/", StringComparison.Ordinal)));
        var (_, member) = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.member/{eve}", accessToken: aliceToken);
        Assert.Equal("eve in the gap", (string?)member!["displayname"]);
        var messages = await RoomTests.MessagesAsync(b, aliceToken, roomId, "dir=b&limit=10");
        var bodies = messages["chunk"]!.AsArray().Select(e => (string?)e!["content"]?["body"]).ToList();
        Assert.Contains("past an unknown event", bodies);
        Assert.Contains("after the outlier", bodies);
    }

    [Fact]
    public async Task An_event_citing_an_auth_event_never_seen_is_accepted_with_the_auth_chain_fetched_for_it()
    {
        var b = servers.B;
        var rules = RoomVersions.Default;
        var (remote, _, aliceToken, roomId, eve, writer, join) = await RoomWithRemoteMemberAsync(b);

        // Eve renamed herself, and B never heard of it; her next message cites the rename as its auth event.
        var rename = await writer.TemplateAsync(
            new EventDraft(roomId, EventTypes.Member, eve, eve, new JsonObject { ["membership"] = "join", ["displayname"] = "eve renamed unseen" }), CancellationToken.None);
        var renameId = EventSigner.HashAndSign(rename, rules, remote, _remoteKey);
        var message = await writer.TemplateAsync(new EventDraft(roomId, "m.room.message", null, eve, Text("after an unseen rename")), CancellationToken.None);
        message["auth_events"] = new JsonArray([.. message["auth_events"]!.AsArray().Select(id => (JsonNode?)((string?)id == join.EventId ? renameId : (string?)id))]);
        var messageId = EventSigner.HashAndSign(message, rules, remote, _remoteKey);
        var stub = ScriptedOrigin(remote, (path, _) => path switch
        {
            _ when path == $"/_matrix/federation/v1/event_auth/{roomId}/{messageId}" => Json(new JsonObject { ["auth_chain"] = new JsonArray(rename.DeepClone()) }),
            _ => null,
        });

        var answer = await ReceiveThroughStubAsync(stub, remote, new JsonObject { ["pdus"] = new JsonArray(message.DeepClone()) });

        Assert.Equal("{}", answer["pdus"]?[messageId]?.ToJsonString());
        Assert.Contains(stub.Paths, p => p.StartsWith("/_matrix/federation/v1/event_auth/", StringComparison.Ordinal));
        var messages = await RoomTests.MessagesAsync(b, aliceToken, roomId, "dir=b&limit=5");
        Assert.Contains(messages["chunk"]!.AsArray(), e => (string?)e!["event_id"] == messageId);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("another room")]
    [InlineData("not an event")]
    public async Task An_auth_chain_that_does_not_hold_up_leaves_the_event_refused(string answered)
    {
        var b = servers.B;
        var rules = RoomVersions.Default;
        var (remote, _, aliceToken, roomId, eve, writer, join) = await RoomWithRemoteMemberAsync(b);
        var rename = await writer.TemplateAsync(
            new EventDraft(roomId, EventTypes.Member, eve, eve, new JsonObject { ["membership"] = "join", ["displayname"] = "never proven" }), CancellationToken.None);
        if (answered == "another room")
        {
            rename["room_id"] = "!elsewhere:" + remote;
        }

        using var otherKey = SigningKey.Generate("stub1");
        // Forged: signed under the stub's key ID with a key that is not the one it serves.
        var renameId = EventSigner.HashAndSign(rename, rules, remote, answered == "forged" ? otherKey : _remoteKey);
        var message = await writer.TemplateAsync(new EventDraft(roomId, "m.room.message", null, eve, Text("after an unproven rename")), CancellationToken.None);
        message["auth_events"] = new JsonArray([.. message["auth_events"]!.AsArray().Select(id => (JsonNode?)((string?)id == join.EventId ? renameId : (string?)id))]);
        var messageId = EventSigner.HashAndSign(message, rules, remote, _remoteKey);
        JsonNode chainEntry = answered == "not an event" ? JsonValue.Create("not an event") : rename.DeepClone();
        var stub = ScriptedOrigin(remote, (path, _) => path switch
        {
            _ when path == $"/_matrix/federation/v1/event_auth/{roomId}/{messageId}" => Json(new JsonObject { ["auth_chain"] = new JsonArray(chainEntry) }),
            _ => null,
        });

        var answer = await ReceiveThroughStubAsync(stub, remote, new JsonObject { ["pdus"] = new JsonArray(message.DeepClone()) });

        Assert.Contains(stub.Paths, p => p.StartsWith("/_matrix/federation/v1/event_auth/", StringComparison.Ordinal));
        Assert.Contains("not known", (string?)answer["pdus"]?[messageId]?["error"]);
        var messages = await RoomTests.MessagesAsync(b, aliceToken, roomId, "dir=b&limit=5");
        Assert.DoesNotContain(messages["chunk"]!.AsArray(), e => (string?)e!["event_id"] == messageId);
        await using var scope = b.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Homeserver.Storage.HomeserverDbContext>();
        Assert.False(await db.Events.AnyAsync(e => e.EventId == renameId));
    }

    public void Dispose() => _remoteKey.Dispose();

    /// <summary>B's transaction receiver, with B's stores and engine, talking to a scripted origin through the real federation client and key ring.</summary>
    private async Task<JsonObject> ReceiveThroughStubAsync(StubOrigin stub, string origin, JsonObject transaction)
    {
        var b = servers.B;
        using var http = new HttpClient(stub);
        var client = new FederationHttpClient(http,
            new ServerResolver(http, new DnsSrvResolver([], TimeProvider.System, NullLogger<DnsSrvResolver>.Instance), TimeProvider.System, NullLogger<ServerResolver>.Instance),
            b.Services.GetRequiredService<ServerIdentity>(), b.Services.GetRequiredService<SigningKey>());
        var ring = ActivatorUtilities.CreateInstance<ServerKeyRing>(b.Services, client, (IReadOnlyList<TrustedKeyServer>)[]);
        var verifier = new PduVerifier(ring);
        await using var scope = b.Services.CreateAsyncScope();
        var fetcher = ActivatorUtilities.CreateInstance<RemoteStateFetcher>(scope.ServiceProvider, client, verifier);
        var receiver = ActivatorUtilities.CreateInstance<TransactionReceiver>(scope.ServiceProvider, client, verifier, fetcher);
        return await receiver.ReceiveAsync(origin, transaction, CancellationToken.None);
    }

    /// <summary>A public room on <paramref name="b"/> made by a local user, joined by eve of a new stub server.</summary>
    private async Task<(string Remote, string Alice, string AliceToken, string RoomId, string Eve, RoomEventWriter Writer, Pdu Join)> RoomWithRemoteMemberAsync(TestHomeserver b)
    {
        var remote = $"127.0.0.1:{Interlocked.Increment(ref s_stubPort)}";
        var (alice, aliceToken) = await b.CreateUserAsync(RoomTests.Name("alice"));
        var roomId = await RoomTests.CreateRoomAsync(b, aliceToken, """{"preset":"public_chat"}""");
        var eve = $"@{RoomTests.Name("eve")}:{remote}";
        var writer = b.Services.GetRequiredService<RoomEventWriter>();
        var join = await RemoteEventAsync(writer, new EventDraft(roomId, EventTypes.Member, eve, eve, new JsonObject { ["membership"] = "join" }), remote);
        Assert.Equal([join.EventId], (await writer.AcceptAsync(new RemoteEvents(roomId, [join], null), CancellationToken.None)).EventIds);
        return (remote, alice, aliceToken, roomId, eve, writer, join);
    }

    /// <summary>An event of the remote server at the room's current head, signed with its key.</summary>
    private async Task<Pdu> RemoteEventAsync(RoomEventWriter writer, EventDraft draft, string remote)
    {
        var template = await writer.TemplateAsync(draft, CancellationToken.None);
        var eventId = EventSigner.HashAndSign(template, RoomVersions.Default, remote, _remoteKey);
        return Pdu.FromJson(template, eventId, RoomVersions.Default);
    }

    /// <summary>A remote server serving its key and what <paramref name="route"/> answers (by unescaped path and query); 404 for the rest.</summary>
    private StubOrigin ScriptedOrigin(string remote, Func<string, string, HttpResponseMessage?> route) => new(request =>
    {
        var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
        return path == "/_matrix/key/v2/server"
            ? Json(ServerKeysDocument.Build(remote, _remoteKey, DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(), []))
            : route(path, Uri.UnescapeDataString(request.RequestUri.Query))
                ?? new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"errcode":"M_NOT_FOUND","error":"scripted"}""", Encoding.UTF8, "application/json") };
    });

    private static HttpResponseMessage Json(JsonObject body) => new(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private static JsonObject Text(string body) => new() { ["msgtype"] = "m.text", ["body"] = body };
}
