using System.Text.Json.Nodes;
using Homeserver.Core.Keys;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Keys;
using Homeserver.Tests.Rooms;
using static Homeserver.Tests.Federation.FederationTests;

namespace Homeserver.Tests.Federation;

/// <summary>
/// What end-to-end encryption needs between two of our servers: keys queried and claimed through the user's own
/// server, device-list changes announced with EDUs, to-device messages carried by transactions.
/// </summary>
public sealed class FederationEncryptionTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    [Fact]
    public async Task Keys_of_a_user_on_another_server_are_queried_and_claimed_through_that_server()
    {
        var (a, b) = (servers.A, servers.B);
        using var alice = await E2eeDevice.CreateAsync(a, RoomTests.Name("alice"), "ALICEDEV");
        using var aliceCrossSigning = new CrossSigningKeys(alice.UserId);
        var deviceKeys = alice.DeviceKeys();
        await alice.UploadOkAsync(new JsonObject
        {
            ["device_keys"] = deviceKeys.DeepClone(),
            ["one_time_keys"] = new JsonObject { ["signed_curve25519:AAAA"] = alice.SignedKey("one-time") },
        });
        var signing = await alice.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/device_signing/upload", aliceCrossSigning.Upload());
        Assert.True(signing.Response.IsSuccessStatusCode, signing.Body?.ToJsonString());
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));

        var query = await b.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query",
            $$"""{"device_keys":{"{{alice.UserId}}":[],"@nobody:127.0.0.1:1":[]} }""", bobToken);

        var device = query.Body!["device_keys"]![alice.UserId]!["ALICEDEV"]!.AsObject();
        Assert.Equal(deviceKeys["keys"]!.ToJsonString(), device["keys"]!.ToJsonString());
        Assert.Equal((string?)deviceKeys["signatures"]![alice.UserId]![alice.IdentityKeyId], (string?)device["signatures"]![alice.UserId]![alice.IdentityKeyId]);
        Assert.NotNull(query.Body["master_keys"]![alice.UserId]);
        Assert.NotNull(query.Body["self_signing_keys"]![alice.UserId]);
        Assert.Null(query.Body["user_signing_keys"]![alice.UserId]);
        Assert.Equal(503, (int)query.Body["failures"]!["127.0.0.1:1"]!["status"]!);

        var claimBody = $$"""{"one_time_keys":{"{{alice.UserId}}":{"ALICEDEV":"signed_curve25519"} } }""";
        var claimed = await b.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/claim", claimBody, bobToken);
        var again = await b.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/claim", claimBody, bobToken);

        var key = claimed.Body!["one_time_keys"]![alice.UserId]!["ALICEDEV"]!["signed_curve25519:AAAA"]!;
        Assert.Equal("one-time", (string?)key["key"]);
        Assert.Empty(claimed.Body["failures"]!.AsObject());
        Assert.Null(again.Body!["one_time_keys"]![alice.UserId]);
    }

    [Fact]
    public async Task The_server_answers_device_and_key_requests_for_its_own_users_only()
    {
        var (a, b) = (servers.A, servers.B);
        using var alice = await E2eeDevice.CreateAsync(a, RoomTests.Name("alice"), "ALICEDEV");
        await alice.SendAsync(HttpMethod.Put, "/_matrix/client/v3/devices/ALICEDEV", new JsonObject { ["display_name"] = "Alice's laptop" });
        await alice.UploadOkAsync(new JsonObject { ["device_keys"] = alice.DeviceKeys() });
        using var aliceCrossSigning = new CrossSigningKeys(alice.UserId);
        await alice.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/device_signing/upload", aliceCrossSigning.Upload());

        var devices = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/user/devices/{Uri.EscapeDataString(alice.UserId)}");
        var notLocal = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/user/devices/{Uri.EscapeDataString($"@someone:{b.ServerName}")}");
        var query = await SignedRequests.SendAsync(b, a, HttpMethod.Post, "/_matrix/federation/v1/user/keys/query",
            JsonNode.Parse($$"""{"device_keys":{"{{alice.UserId}}":[],"@someone:{{b.ServerName}}":[]} }"""));
        using var unsigned = await a.Federation.PostAsync("/_matrix/federation/v1/user/keys/query",
            new StringContent($$"""{"device_keys":{"{{alice.UserId}}":[]} }""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(200, devices.Status);
        Assert.Equal(alice.UserId, (string?)devices.Body!["user_id"]);
        Assert.True((long)devices.Body["stream_id"]! > 0);
        var listed = Assert.Single(devices.Body["devices"]!.AsArray())!;
        Assert.Equal(("ALICEDEV", "Alice's laptop"), ((string?)listed["device_id"], (string?)listed["device_display_name"]));
        Assert.Equal(alice.UserId, (string?)listed["keys"]!["user_id"]);
        Assert.Equal("master", (string?)devices.Body["master_key"]!["usage"]![0]);
        Assert.Equal("self_signing", (string?)devices.Body["self_signing_key"]!["usage"]![0]);
        Assert.Equal((400, "M_INVALID_PARAM"), (notLocal.Status, (string?)notLocal.Body?["errcode"]));
        Assert.Equal(200, query.Status);
        Assert.Equal([alice.UserId], query.Body!["device_keys"]!.AsObject().Select(u => u.Key));
        Assert.Null(query.Body["user_signing_keys"]);
        Assert.Equal(401, (int)unsigned.StatusCode);
    }

    [Fact]
    public async Task To_device_messages_reach_devices_on_another_server_once_and_forged_senders_are_dropped()
    {
        var (a, b) = (servers.A, servers.B);
        var (alice, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"), deviceId: "ALICEDEV");
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"), deviceId: "BOBDEV");
        var message = $$"""{"messages":{"{{alice}}":{"ALICEDEV":{"n":1} } } }""";

        Assert.True((await b.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/first", message, bobToken)).Response.IsSuccessStatusCode);
        Assert.True((await b.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/first", message, bobToken)).Response.IsSuccessStatusCode);
        // B speaking for a user of A, and for a user of a third server: neither may be delivered.
        foreach (var forgedSender in new[] { $"@eve:{a.ServerName}", "@mallory:elsewhere.example" })
        {
            var forged = await SignedRequests.SendAsync(b, a, HttpMethod.Put, $"/_matrix/federation/v1/send/forged{Guid.NewGuid():N}", new JsonObject
            {
                ["origin"] = b.ServerName,
                ["origin_server_ts"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["pdus"] = new JsonArray(),
                ["edus"] = new JsonArray(new JsonObject
                {
                    ["edu_type"] = "m.direct_to_device",
                    ["content"] = new JsonObject
                    {
                        ["sender"] = forgedSender,
                        ["type"] = "m.test",
                        ["message_id"] = "forged",
                        ["messages"] = new JsonObject { [alice] = new JsonObject { ["*"] = new JsonObject { ["n"] = 99 } } },
                    },
                }),
            });
            Assert.Equal(200, forged.Status);
        }

        // Queued after the rest for the same destination, so once it is there everything before it is too.
        var marker = $$"""{"messages":{"{{alice}}":{"*":{"n":2} } } }""";
        Assert.True((await b.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/second", marker, bobToken)).Response.IsSuccessStatusCode);
        JsonArray events = [];
        await EventuallyAsync(async () =>
        {
            var sync = await a.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: aliceToken);
            events = sync.Body?["to_device"]?["events"]?.AsArray() ?? [];
            return events.Any(e => (int?)e!["content"]?["n"] == 2);
        }, "bob's second to-device message reaches alice");

        Assert.Equal([(bob, 1), (bob, 2)], events.Select(e => ((string)e!["sender"]!, (int)e["content"]!["n"]!)));
    }

    [Fact]
    public async Task New_and_deleted_devices_of_a_user_on_another_server_show_in_device_lists_and_key_queries()
    {
        var (a, b) = (servers.A, servers.B);
        using var alice = await E2eeDevice.CreateAsync(a, RoomTests.Name("alice"), "ALICEONE");
        await alice.UploadOkAsync(new JsonObject { ["device_keys"] = alice.DeviceKeys() });
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, alice.AccessToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);
        await EventuallyAsync(() => JoinedOnAsync(a, alice.AccessToken, roomId, 2), "bob's join reaches a");

        var since = (string)(await b.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: bobToken)).Body!["next_batch"]!;
        using var aliceTwo = await alice.LoginAgainAsync("ALICETWO");
        await aliceTwo.UploadOkAsync(new JsonObject { ["device_keys"] = aliceTwo.DeviceKeys() });

        since = await ChangedAsync(b, bobToken, since, alice.UserId, "alice's new device reaches b's device lists");
        Assert.Equal(["ALICEONE", "ALICETWO"], await DevicesAsync(b, bobToken, alice.UserId));

        await aliceTwo.SendAsync(HttpMethod.Put, "/_matrix/client/v3/devices/ALICETWO", new JsonObject { ["display_name"] = "Alice's phone" });
        since = await ChangedAsync(b, bobToken, since, alice.UserId, "alice's renamed device reaches b's device lists");
        var renamed = await b.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", $$"""{"device_keys":{"{{alice.UserId}}":["ALICETWO"]} }""", bobToken);
        Assert.Equal("Alice's phone", (string?)renamed.Body!["device_keys"]![alice.UserId]!["ALICETWO"]!["unsigned"]!["device_display_name"]);

        var delete = await alice.SendAsync(HttpMethod.Delete, "/_matrix/client/v3/devices/ALICETWO", new JsonObject
        {
            ["auth"] = new JsonObject { ["type"] = "m.login.password", ["user"] = alice.UserId, ["password"] = KeysTestData.Password },
        });
        Assert.True(delete.Response.IsSuccessStatusCode, delete.Body?.ToJsonString());

        await ChangedAsync(b, bobToken, since, alice.UserId, "alice's deleted device reaches b's device lists");
        Assert.Equal(["ALICEONE"], await DevicesAsync(b, bobToken, alice.UserId));
    }

    [Fact]
    public async Task The_copy_of_a_remote_users_devices_follows_their_servers_updates_and_is_fetched_again_when_one_is_missed()
    {
        var (a, b) = (servers.A, servers.B);
        using var alice = await E2eeDevice.CreateAsync(a, RoomTests.Name("alice"), "ALICEONE");
        await alice.UploadOkAsync(new JsonObject { ["device_keys"] = alice.DeviceKeys() });
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, alice.AccessToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);
        // The first query fetches alice's list from a, and b keeps it from then on.
        Assert.Equal(["ALICEONE"], await DevicesAsync(b, bobToken, alice.UserId));
        var listed = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/user/devices/{Uri.EscapeDataString(alice.UserId)}");
        var streamId = (long)listed.Body!["stream_id"]!;

        // Updates sent in a's name but made up here: the devices they add exist only in b's copy, so seeing them in a
        // key query on b shows that the copy answered, and their disappearance that a was asked again.
        using var madeUp = new E2eeDevice(a, alice.UserId, "MADEUP", alice.AccessToken);
        await SendDeviceUpdateAsync(a, b, alice.UserId, "MADEUP", streamId + 1, [streamId], madeUp.DeviceKeys());
        Assert.Equal(["ALICEONE", "MADEUP"], await DevicesAsync(b, bobToken, alice.UserId));

        // Keys not signed by the device they name: b trusts its copy no more and fetches the list again.
        using var wrongSigner = new E2eeDevice(a, alice.UserId, "WRONGSIG", alice.AccessToken);
        var badKeys = wrongSigner.DeviceKeys();
        badKeys["keys"]!["ed25519:WRONGSIG"] = madeUp.Identity.PublicKey;
        await SendDeviceUpdateAsync(a, b, alice.UserId, "WRONGSIG", streamId + 2, [streamId + 1], badKeys);
        Assert.Equal(["ALICEONE"], await DevicesAsync(b, bobToken, alice.UserId));

        await SendDeviceUpdateAsync(a, b, alice.UserId, "MADEUP", streamId + 1, [streamId], madeUp.DeviceKeys());
        Assert.Equal(["ALICEONE", "MADEUP"], await DevicesAsync(b, bobToken, alice.UserId));
        // A repeated update changes nothing; one whose previous update b never saw is a gap, closed by fetching again.
        await SendDeviceUpdateAsync(a, b, alice.UserId, "MADEUP", streamId + 1, [streamId], null);
        Assert.Equal(["ALICEONE", "MADEUP"], await DevicesAsync(b, bobToken, alice.UserId));
        using var afterGap = new E2eeDevice(a, alice.UserId, "AFTERGAP", alice.AccessToken);
        await SendDeviceUpdateAsync(a, b, alice.UserId, "AFTERGAP", streamId + 10, [streamId + 5], afterGap.DeviceKeys());
        Assert.Equal(["ALICEONE"], await DevicesAsync(b, bobToken, alice.UserId));
    }

    [Fact]
    public async Task A_remote_user_who_no_longer_shares_a_room_is_in_device_lists_left_and_their_copy_is_dropped()
    {
        var (a, b) = (servers.A, servers.B);
        using var alice = await E2eeDevice.CreateAsync(a, RoomTests.Name("alice"), "ALICEONE");
        await alice.UploadOkAsync(new JsonObject { ["device_keys"] = alice.DeviceKeys() });
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, alice.AccessToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, roomId, a);
        await EventuallyAsync(() => JoinedOnAsync(a, alice.AccessToken, roomId, 2), "bob's join reaches a");
        Assert.Equal(["ALICEONE"], await DevicesAsync(b, bobToken, alice.UserId));
        var since = (string)(await b.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0", accessToken: bobToken)).Body!["next_batch"]!;

        var leave = await alice.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/leave", new JsonObject());
        Assert.True(leave.Response.IsSuccessStatusCode, leave.Body?.ToJsonString());

        JsonObject? deviceLists = null;
        await EventuallyAsync(async () =>
        {
            var sync = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/sync?timeout=0&since={since}", accessToken: bobToken);
            deviceLists = sync.Body!["device_lists"] as JsonObject;
            return deviceLists is not null;
        }, "alice's leave reaches bob's device lists");
        await using var scope = b.Services.CreateAsyncScope();
        var kept = await scope.ServiceProvider.GetRequiredService<IRemoteDeviceStore>().GetCurrentAsync([alice.UserId], CancellationToken.None);

        Assert.Equal([alice.UserId], deviceLists!["left"]!.AsArray().Select(u => (string)u!));
        Assert.DoesNotContain(alice.UserId, deviceLists["changed"]!.AsArray().Select(u => (string)u!));
        Assert.Empty(kept);
    }

    /// <summary>An <c>m.device_list_update</c> in a transaction signed by <paramref name="from"/>; deleted when <paramref name="keys"/> is null.</summary>
    private static async Task SendDeviceUpdateAsync(TestHomeserver from, TestHomeserver to, string userId, string deviceId, long streamId, long[] prevIds, JsonObject? keys)
    {
        var content = new JsonObject
        {
            ["user_id"] = userId,
            ["device_id"] = deviceId,
            ["stream_id"] = streamId,
            ["prev_id"] = new JsonArray([.. prevIds.Select(p => (JsonNode)p)]),
        };
        if (keys is null)
        {
            content["deleted"] = true;
        }
        else
        {
            content["keys"] = keys;
        }

        var sent = await SignedRequests.SendAsync(from, to, HttpMethod.Put, $"/_matrix/federation/v1/send/devices{Guid.NewGuid():N}", new JsonObject
        {
            ["origin"] = from.ServerName,
            ["origin_server_ts"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["pdus"] = new JsonArray(),
            ["edus"] = new JsonArray(new JsonObject { ["edu_type"] = "m.device_list_update", ["content"] = content }),
        });
        Assert.Equal(200, sent.Status);
    }

    /// <summary>Waits for an incremental sync from <paramref name="since"/> to list the user as changed; the next token.</summary>
    private static async Task<string> ChangedAsync(TestHomeserver server, string token, string since, string userId, string what)
    {
        var next = since;
        await EventuallyAsync(async () =>
        {
            var sync = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/sync?timeout=0&since={since}", accessToken: token);
            next = (string)sync.Body!["next_batch"]!;
            return sync.Body["device_lists"]?["changed"]?.AsArray().Any(u => (string?)u == userId) == true;
        }, what);
        return next;
    }

    private static async Task<IReadOnlyList<string>> DevicesAsync(TestHomeserver server, string token, string userId)
    {
        var query = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", $$"""{"device_keys":{"{{userId}}":[]} }""", token);
        return [.. query.Body!["device_keys"]![userId]!.AsObject().Select(d => d.Key).Order(StringComparer.Ordinal)];
    }

    private static async Task<bool> JoinedOnAsync(TestHomeserver server, string token, string roomId, int members)
    {
        var joined = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/joined_members", accessToken: token);
        return joined.Body?["joined"]?.AsObject().Count == members;
    }
}
