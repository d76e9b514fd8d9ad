using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Signing;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Two of our servers federating for real: keys fetched from each other, X-Matrix on every request, joins through
/// make_join/send_join, events and typing carried by transactions from the durable outbox.
/// </summary>
public sealed class FederationTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Users_on_two_servers_join_talk_both_ways_and_leave()
    {
        var (a, b) = (servers.A, servers.B);
        var (alice, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat","name":"across"}""");
        await RoomTests.SendTextAsync(a, aliceToken, roomId, "before bob");

        var join = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}?server_name={a.ServerName}", "{}", bobToken);
        Assert.True(join.Response.IsSuccessStatusCode, join.Body?.ToJsonString());

        await RoomTests.SendTextAsync(b, bobToken, roomId, "hello from b");
        await EventuallyAsync(() => HasMessageAsync(a, aliceToken, roomId, "hello from b"), "bob's message reaches a");
        await RoomTests.SendTextAsync(a, aliceToken, roomId, "hello from a");
        await EventuallyAsync(() => HasMessageAsync(b, bobToken, roomId, "hello from a"), "alice's message reaches b");

        // B's copy holds the room's state as A sent it at the join.
        var name = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.name/", accessToken: bobToken);
        Assert.Equal("across", (string?)name.Body?["name"]);
        var members = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/joined_members", accessToken: aliceToken);
        Assert.NotNull(members.Body!["joined"]![bob]);

        var leave = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/leave", "{}", bobToken);
        Assert.True(leave.Response.IsSuccessStatusCode, leave.Body?.ToJsonString());
        await EventuallyAsync(async () =>
        {
            var state = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.member/{bob}", accessToken: aliceToken);
            return (string?)state.Body?["membership"] == "leave";
        }, "bob's leave reaches a");
        Assert.NotNull(alice);
    }

    [Fact]
    public async Task An_invite_to_a_user_of_another_server_shows_in_their_sync_and_can_be_accepted_or_rejected()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var (carol, carolToken) = await b.CreateUserAsync(RoomTests.Name("carol"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"private_chat","name":"invite only"}""");

        foreach (var invitee in new[] { bob, carol })
        {
            var invite = await a.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/invite", $$"""{"user_id":"{{invitee}}"}""", aliceToken);
            Assert.True(invite.Response.IsSuccessStatusCode, invite.Body?.ToJsonString());
        }

        var sync = await b.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: bobToken);
        var inviteState = sync.Body!["rooms"]!["invite"]![roomId]!["invite_state"]!["events"]!.AsArray();
        Assert.Contains(inviteState, e => (string?)e!["type"] == "m.room.name" && (string?)e["content"]!["name"] == "invite only");
        Assert.Contains(inviteState, e => (string?)e!["type"] == "m.room.member" && (string?)e["state_key"] == bob && (string?)e["content"]!["membership"] == "invite");

        // Bob accepts: his server is not in the room, so it joins through the inviting server.
        var join = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/join", "{}", bobToken);
        Assert.True(join.Response.IsSuccessStatusCode, join.Body?.ToJsonString());
        await RoomTests.SendTextAsync(b, bobToken, roomId, "thanks for the invite");
        await EventuallyAsync(() => HasMessageAsync(a, aliceToken, roomId, "thanks for the invite"), "bob's message reaches a");

        // Carol rejects; her server is in the room now (bob joined), so the leave is an ordinary event of the room.
        var reject = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/leave", "{}", carolToken);
        Assert.True(reject.Response.IsSuccessStatusCode, reject.Body?.ToJsonString());
        await EventuallyAsync(async () =>
        {
            var state = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.member/{carol}", accessToken: aliceToken);
            return (string?)state.Body?["membership"] == "leave";
        }, "carol's rejection reaches a");
    }

    [Fact]
    public async Task Rejecting_an_invite_to_a_room_this_server_is_not_in_goes_through_the_inviting_server()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"private_chat"}""");
        var invite = await a.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/invite", $$"""{"user_id":"{{bob}}"}""", aliceToken);
        Assert.True(invite.Response.IsSuccessStatusCode, invite.Body?.ToJsonString());

        var reject = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/leave", "{}", bobToken);
        Assert.True(reject.Response.IsSuccessStatusCode, reject.Body?.ToJsonString());

        var state = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.member/{bob}", accessToken: aliceToken);
        Assert.Equal("leave", (string?)state.Body?["membership"]);
        var sync = await b.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: bobToken);
        Assert.Null(sync.Body!["rooms"]?["invite"]?[roomId]);
    }

    [Fact]
    public async Task An_invite_for_a_user_the_server_does_not_have_is_refused()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"private_chat"}""");

        var invite = await a.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/invite", $$"""{"user_id":"@nobody:{{b.ServerName}}"}""", aliceToken);

        Assert.Equal(403, (int)invite.Response.StatusCode);
        Assert.Equal("M_FORBIDDEN", (string?)invite.Body?["errcode"]);
    }

    [Fact]
    public async Task A_kick_and_a_ban_on_one_server_take_effect_on_the_other()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);

        var kick = await a.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/kick", $$"""{"user_id":"{{bob}}","reason":"out"}""", aliceToken);
        Assert.True(kick.Response.IsSuccessStatusCode, kick.Body?.ToJsonString());
        await EventuallyAsync(async () => await JoinedRoomsAsync(b, bobToken) is var rooms && !rooms.Contains(roomId), "the kick reaches b");

        await JoinAsync(b, bobToken, roomId, a);
        var ban = await a.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/ban", $$"""{"user_id":"{{bob}}"}""", aliceToken);
        Assert.True(ban.Response.IsSuccessStatusCode, ban.Body?.ToJsonString());
        await EventuallyAsync(async () => await JoinedRoomsAsync(b, bobToken) is var rooms && !rooms.Contains(roomId), "the ban reaches b");

        // Banned, bob cannot come back.
        var rejoin = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}?server_name={a.ServerName}", "{}", bobToken);
        Assert.False(rejoin.Response.IsSuccessStatusCode);
        Assert.Equal("M_FORBIDDEN", (string?)rejoin.Body?["errcode"]);
    }

    [Fact]
    public async Task Typing_is_carried_to_the_other_server()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);

        var typing = await b.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/typing/{bob}", """{"typing":true,"timeout":30000}""", bobToken);
        Assert.True(typing.Response.IsSuccessStatusCode, typing.Body?.ToJsonString());

        await EventuallyAsync(async () =>
        {
            var sync = await a.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: aliceToken);
            var ephemeral = sync.Body?["rooms"]?["join"]?[roomId]?["ephemeral"]?["events"] as JsonArray ?? [];
            return ephemeral.Any(e => (string?)e!["type"] == "m.typing" && (e["content"]!["user_ids"] as JsonArray ?? []).Any(u => (string?)u == bob));
        }, "bob's typing shows on a");
    }

    [Fact]
    public async Task Read_receipts_are_carried_to_the_other_server()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);
        var eventId = await RoomTests.SendTextAsync(a, aliceToken, roomId, "read me");
        await EventuallyAsync(() => HasMessageAsync(b, bobToken, roomId, "read me"), "alice's message reaches b");

        var receipt = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/receipt/m.read/{Uri.EscapeDataString(eventId)}", "{}", bobToken);
        Assert.True(receipt.Response.IsSuccessStatusCode, receipt.Body?.ToJsonString());

        await EventuallyAsync(async () =>
        {
            var sync = await a.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: aliceToken);
            var ephemeral = sync.Body?["rooms"]?["join"]?[roomId]?["ephemeral"]?["events"] as JsonArray ?? [];
            return ephemeral.Any(e => (string?)e!["type"] == "m.receipt" && e["content"]?[eventId]?["m.read"]?[bob] is not null);
        }, "bob's receipt shows on a");
    }

    [Fact]
    public async Task Aliases_and_profiles_of_the_other_server_are_asked_of_it()
    {
        var (a, b) = (servers.A, servers.B);
        var (alice, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        await a.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{alice}/displayname", """{"displayname":"Alice A."}""", aliceToken);
        var aliasName = RoomTests.Name("lobby");
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, $$"""{"preset":"public_chat","room_alias_name":"{{aliasName}}"}""");
        var alias = $"#{aliasName}:{a.ServerName}";

        var resolved = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/directory/room/{Uri.EscapeDataString(alias)}", accessToken: bobToken);
        var profile = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/profile/{Uri.EscapeDataString(alice)}", accessToken: bobToken);
        var unknown = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/directory/room/{Uri.EscapeDataString($"#nothing-here:{a.ServerName}")}", accessToken: bobToken);
        var join = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(alias)}", "{}", bobToken);

        Assert.Equal(roomId, (string?)resolved.Body?["room_id"]);
        Assert.Contains(resolved.Body!["servers"]!.AsArray(), s => (string?)s == a.ServerName);
        Assert.Equal("Alice A.", (string?)profile.Body?["displayname"]);
        Assert.Equal(404, (int)unknown.Response.StatusCode);
        Assert.Equal(roomId, (string?)join.Body?["room_id"]);
    }

    [Fact]
    public async Task A_server_that_was_down_catches_up_on_what_it_missed()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);

        await b.StopAsync();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                await RoomTests.SendTextAsync(a, aliceToken, roomId, $"while b was down {i}");
            }
        }
        finally
        {
            await b.RestartAsync();
        }

        await EventuallyAsync(async () =>
        {
            var messages = await RoomTests.MessagesAsync(b, bobToken, roomId, "dir=b&limit=20");
            var bodies = messages["chunk"]!.AsArray().Select(e => (string?)e!["content"]?["body"]).ToHashSet();
            return Enumerable.Range(0, 5).All(i => bodies.Contains($"while b was down {i}"));
        }, "every message sent while b was down reaches it");
    }

    [Fact]
    public async Task Events_whose_transactions_never_arrived_are_fetched_when_a_later_event_cites_them()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);

        await a.StopAsync();
        try
        {
            var lost = new[] { await RoomTests.SendTextAsync(b, bobToken, roomId, "gap 1"), await RoomTests.SendTextAsync(b, bobToken, roomId, "gap 2") };
            await RoomTests.SendTextAsync(b, bobToken, roomId, "gap 3");

            // B forgets to send the first two: A only ever receives the third, whose prev event it lacks.
            await using var scope = b.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Homeserver.Storage.HomeserverDbContext>();
            var lostNids = await db.Events.Where(e => lost.Contains(e.EventId)).Select(e => (long?)e.EventNid).ToListAsync();
            Assert.Equal(2, await db.FederationOutbox.Where(o => o.Destination == a.ServerName && lostNids.Contains(o.EventNid)).ExecuteDeleteAsync());
        }
        finally
        {
            await a.RestartAsync();
        }

        await EventuallyAsync(async () =>
        {
            var messages = await RoomTests.MessagesAsync(a, aliceToken, roomId, "dir=b&limit=20");
            var bodies = messages["chunk"]!.AsArray().Select(e => (string?)e!["content"]?["body"]).ToList();
            return bodies.Take(3).SequenceEqual(["gap 3", "gap 2", "gap 1"]);
        }, "the missing events are fetched and placed before the one citing them");
    }

    [Fact]
    public async Task A_server_the_rooms_ACL_denies_is_refused_its_requests_and_events()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var bob = await b.RegisterAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        var before = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/make_join/{Uri.EscapeDataString(roomId)}/{Uri.EscapeDataString(bob)}?ver=11");

        // Both test servers are IP literals: refusing those shuts B out (A's own events are not subject to it).
        var acl = await a.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.server_acl/", """{"allow":["*"],"allow_ip_literals":false}""", aliceToken);
        Assert.True(acl.Response.IsSuccessStatusCode, acl.Body?.ToJsonString());
        var after = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/make_join/{Uri.EscapeDataString(roomId)}/{Uri.EscapeDataString(bob)}?ver=11");

        Assert.Equal(200, before.Status);
        Assert.Equal((403, "M_FORBIDDEN"), (after.Status, (string?)after.Body?["errcode"]));
    }

    [Fact]
    public async Task Keys_are_published_signed_and_served_by_the_notary()
    {
        var (a, b) = (servers.A, servers.B);
        var own = await a.Federation.GetFromJsonAsync<JsonObject>("/_matrix/key/v2/server");
        var key = a.Services.GetRequiredService<SigningKey>();
        Assert.Equal(a.ServerName, (string?)own!["server_name"]);
        Assert.Equal(key.PublicKeyBase64, (string?)own["verify_keys"]![key.KeyId]!["key"]);
        Assert.True(JsonSigning.Verify(own, a.ServerName, key.KeyId, key.PublicKey));

        // A asks B for its keys on B's behalf, then signs the answer as a notary.
        using var query = await a.Federation.PostAsync("/_matrix/key/v2/query",
            new StringContent(new JsonObject { ["server_keys"] = new JsonObject { [b.ServerName] = new JsonObject() } }.ToJsonString(),
                System.Text.Encoding.UTF8, "application/json"));
        var answer = await query.Content.ReadFromJsonAsync<JsonObject>();
        var document = Assert.Single(answer!["server_keys"]!.AsArray())!.AsObject();
        var bKey = b.Services.GetRequiredService<SigningKey>();
        Assert.True(JsonSigning.Verify(document, b.ServerName, bKey.KeyId, bKey.PublicKey));
        Assert.True(JsonSigning.Verify(document, a.ServerName, key.KeyId, key.PublicKey));

        using var malformed = await a.Federation.PostAsync("/_matrix/key/v2/query",
            new StringContent("""{"server_keys":[]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)malformed.StatusCode);
        Assert.Equal("M_BAD_JSON", (string?)(await malformed.Content.ReadFromJsonAsync<JsonObject>())!["errcode"]);
    }

    [Fact]
    public async Task A_server_with_a_trusted_notary_gets_other_servers_keys_through_it_and_checks_the_notary_signature()
    {
        var (a, b) = (servers.A, servers.B);
        var aKey = a.Services.GetRequiredService<SigningKey>();
        using var impostor = SigningKey.Generate(aKey.Version);
        string[] Notary(SigningKey key) =>
        [
            $"--Homeserver:Federation:TrustedKeyServers:0:ServerName={a.ServerName}",
            $"--Homeserver:Federation:TrustedKeyServers:0:VerifyKeys:0:KeyId={key.KeyId}",
            $"--Homeserver:Federation:TrustedKeyServers:0:VerifyKeys:0:PublicKey={key.PublicKeyBase64}",
        ];
        await using var trusting = await TestHomeserver.StartFederatingAsync(Homeserver.Storage.DatabaseProvider.Sqlite, Notary(aKey));
        await using var misled = await TestHomeserver.StartFederatingAsync(Homeserver.Storage.DatabaseProvider.Sqlite, Notary(impostor));

        var throughNotary = await trusting.Services.GetRequiredService<Homeserver.Federation.Keys.ServerKeyRing>().GetDocumentAsync(b.ServerName, 0, CancellationToken.None);
        var direct = await misled.Services.GetRequiredService<Homeserver.Federation.Keys.ServerKeyRing>().GetDocumentAsync(b.ServerName, 0, CancellationToken.None);

        var bKey = b.Services.GetRequiredService<SigningKey>();
        Assert.True(JsonSigning.Verify(throughNotary!, b.ServerName, bKey.KeyId, bKey.PublicKey));
        Assert.True(JsonSigning.Verify(throughNotary!, a.ServerName, aKey.KeyId, aKey.PublicKey));
        // The notary's answer did not carry the signature of the key configured for it: B was asked directly.
        Assert.True(JsonSigning.Verify(direct!, b.ServerName, bKey.KeyId, bKey.PublicKey));
        Assert.Null(direct!["signatures"]![a.ServerName]);
    }

    [Fact]
    public async Task Requests_without_a_valid_X_Matrix_signature_are_refused()
    {
        var (a, b) = (servers.A, servers.B);
        var path = "/_matrix/federation/v1/send/t1";
        var transaction = new JsonObject { ["origin"] = b.ServerName, ["origin_server_ts"] = 1, ["pdus"] = new JsonArray() };

        using var unsigned = await a.Federation.PutAsync(path, new StringContent(transaction.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        using var impostorKey = SigningKey.Generate(b.Services.GetRequiredService<SigningKey>().Version);
        var forged = await SignedRequests.SendAsync(a, HttpMethod.Put, path, transaction, b.ServerName, impostorKey, a.ServerName);
        var misdirected = await SignedRequests.SendAsync(a, HttpMethod.Put, path, transaction, b.ServerName,
            b.Services.GetRequiredService<SigningKey>(), "elsewhere.example");
        // Signed for one body, sent with another.
        using var swapped = new HttpRequestMessage(HttpMethod.Put, path)
        {
            Content = new StringContent(new JsonObject { ["origin"] = b.ServerName, ["origin_server_ts"] = 2, ["pdus"] = new JsonArray() }.ToJsonString(),
                System.Text.Encoding.UTF8, "application/json"),
        };
        swapped.Headers.TryAddWithoutValidation("Authorization", Homeserver.Protocol.Federation.XMatrixAuthorization
            .Sign("PUT", path, b.ServerName, a.ServerName, transaction, b.Services.GetRequiredService<SigningKey>()).ToHeaderValue());
        using var tampered = await a.Federation.SendAsync(swapped);
        var genuine = await SignedRequests.SendAsync(b, a, HttpMethod.Put, path, transaction);

        Assert.Equal(401, (int)unsigned.StatusCode);
        Assert.Equal("M_UNAUTHORIZED", (string?)(await unsigned.Content.ReadFromJsonAsync<JsonObject>())!["errcode"]);
        Assert.Equal((401, "M_UNAUTHORIZED"), (forged.Status, (string?)forged.Body?["errcode"]));
        Assert.Equal((401, "M_UNAUTHORIZED"), (misdirected.Status, (string?)misdirected.Body?["errcode"]));
        Assert.Equal(401, (int)tampered.StatusCode);
        Assert.Equal(200, genuine.Status);
    }

    [Fact]
    public async Task A_PDU_whose_signature_does_not_verify_is_rejected_and_not_stored()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);
        var eventId = await RoomTests.SendTextAsync(b, bobToken, roomId, "genuine");
        await EventuallyAsync(() => HasMessageAsync(a, aliceToken, roomId, "genuine"), "bob's message reaches a");

        // B's real event, fetched from A, with its timestamp changed after B signed it.
        var fetched = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/event/{Uri.EscapeDataString(eventId)}");
        Assert.Equal(200, fetched.Status);
        var pdu = fetched.Body!["pdus"]![0]!.DeepClone().AsObject();
        pdu["origin_server_ts"] = (long)pdu["origin_server_ts"]! + 1;
        var transaction = new JsonObject { ["origin"] = b.ServerName, ["origin_server_ts"] = 1, ["pdus"] = new JsonArray(pdu) };
        var sent = await SignedRequests.SendAsync(b, a, HttpMethod.Put, $"/_matrix/federation/v1/send/forged-{Guid.NewGuid():N}", transaction);

        Assert.Equal(200, sent.Status);
        var (forgedId, result) = Assert.Single(sent.Body!["pdus"]!.AsObject());
        Assert.NotEqual(eventId, forgedId);
        Assert.NotNull(result!["error"]);
        var lookup = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/event/{Uri.EscapeDataString(forgedId)}", accessToken: aliceToken);
        Assert.Equal(404, (int)lookup.Response.StatusCode);
    }

    internal static async Task JoinAsync(TestHomeserver server, string token, string roomId, TestHomeserver via)
    {
        var join = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}?server_name={via.ServerName}", "{}", token);
        Assert.True(join.Response.IsSuccessStatusCode, join.Body?.ToJsonString());
    }

    /// <summary>The room's current state as the client API lists it (<c>GET /rooms/{roomId}/state</c>).</summary>
    internal static async Task<JsonArray> StateAsync(TestHomeserver server, string token, string roomId)
    {
        var (response, _) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state", accessToken: token);
        Assert.True(response.IsSuccessStatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    private static async Task<IReadOnlyList<string>> JoinedRoomsAsync(TestHomeserver server, string token)
    {
        var joined = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/joined_rooms", accessToken: token);
        return [.. joined.Body!["joined_rooms"]!.AsArray().Select(r => (string)r!)];
    }

    private static async Task<bool> HasMessageAsync(TestHomeserver server, string token, string roomId, string body)
    {
        var messages = await RoomTests.MessagesAsync(server, token, roomId, "dir=b&limit=20");
        return messages["chunk"]!.AsArray().Any(e => (string?)e!["content"]?["body"] == body);
    }

    /// <summary>Waits for something another server does in the background; fails with <paramref name="what"/> if it never happens.</summary>
    internal static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + DeliveryDeadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not seen in {DeliveryDeadline.TotalSeconds} s: {what}");
            await Task.Delay(100);
        }
    }
}
