using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Core.Keys;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using static Homeserver.Tests.Keys.KeysTestData;

namespace Homeserver.Tests.Keys;

/// <summary><c>/keys/upload</c>, <c>/keys/query</c>, <c>/keys/claim</c> and <c>/keys/changes</c> with keys signed by real Ed25519 keys.</summary>
public sealed class KeysTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Signed_device_keys_are_uploaded_queried_and_their_one_time_keys_claimed_oldest_first(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var alice = await E2eeDevice.CreateAsync(server, Name("kalice", provider), "ALICEPHONE");
        var (_, bob) = await server.CreateUserAsync(Name("kbob", provider), Password, "BOBDEVICE");

        var first = await alice.UploadOkAsync(new JsonObject
        {
            ["device_keys"] = alice.DeviceKeys(),
            ["one_time_keys"] = new JsonObject
            {
                ["signed_curve25519:AAAAAQ"] = alice.SignedKey("otk1"),
                ["signed_curve25519:AAAAAg"] = alice.SignedKey("otk2"),
            },
            ["fallback_keys"] = new JsonObject { ["signed_curve25519:AAAAFA"] = alice.SignedKey("fallback", fallback: true) },
        });
        var second = await alice.UploadOkAsync(new JsonObject
        {
            // The same device keys again (a retry) and a later one-time key.
            ["device_keys"] = alice.DeviceKeys(),
            ["one_time_keys"] = new JsonObject { ["signed_curve25519:AAAAAw"] = alice.SignedKey("otk3"), ["signed_curve25519:AAAAAQ"] = alice.SignedKey("otk1") },
        });

        var (_, query) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", $$$$"""{"device_keys":{"{{{{alice.UserId}}}}":[]}}""", bob);
        var published = query!["device_keys"]![alice.UserId]![alice.DeviceId]!.AsObject();

        var claims = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (claim, claimed) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/claim",
                $$$$"""{"one_time_keys":{"{{{{alice.UserId}}}}":{"{{{{alice.DeviceId}}}}":"signed_curve25519"}}}""", bob);
            Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
            var key = claimed!["one_time_keys"]![alice.UserId]![alice.DeviceId]!.AsObject().Single();
            Assert.True(JsonSigning.Verify(key.Value!.AsObject(), alice.UserId, alice.IdentityKeyId, UnpaddedBase64.Decode(alice.Identity.PublicKey)));
            claims.Add(key.Key);
        }

        await using var scope = server.Services.CreateAsyncScope();
        var sync = scope.ServiceProvider.GetRequiredService<KeysSyncSource>();
        var status = await sync.OneTimeKeyStatusAsync(alice.UserId, alice.DeviceId, CancellationToken.None);

        Assert.Equal(2, (int)first["one_time_key_counts"]!["signed_curve25519"]!);
        Assert.Equal(3, (int)second["one_time_key_counts"]!["signed_curve25519"]!);
        Assert.True(JsonSigning.Verify(published, alice.UserId, alice.IdentityKeyId, UnpaddedBase64.Decode(alice.Identity.PublicKey)));
        Assert.Equal("test", (string?)published["unsigned"]!["device_display_name"]);
        Assert.Equal(alice.Identity.PublicKey, (string?)published["keys"]![alice.IdentityKeyId]);
        Assert.Equal(["AAAAAQ", "AAAAAg"], claims.Take(2).Select(k => k.Split(':')[1]).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["signed_curve25519:AAAAAw", "signed_curve25519:AAAAFA", "signed_curve25519:AAAAFA"],
            claims.Skip(2));
        Assert.Equal(0, status.Counts["signed_curve25519"]);
        Assert.Empty(status.UnusedFallbackAlgorithms);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_new_fallback_key_is_unused_and_device_key_changes_are_reported_between_sync_tokens(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var carol = await E2eeDevice.CreateAsync(server, Name("kcarol", provider), "CAROLDEV");
        var positions = server.Services.GetRequiredService<StreamPositions>();
        var before = positions.Published(StreamName.DeviceLists);

        await carol.UploadOkAsync(new JsonObject
        {
            ["device_keys"] = carol.DeviceKeys(),
            ["fallback_keys"] = new JsonObject { ["signed_curve25519:F1"] = carol.SignedKey("f1", fallback: true) },
        });
        var afterUpload = positions.Published(StreamName.DeviceLists);
        await carol.UploadOkAsync(new JsonObject { ["device_keys"] = carol.DeviceKeys() });
        var afterRetry = positions.Published(StreamName.DeviceLists);

        var (_, changes) = await carol.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/keys/changes?from=s0_0_0_0_{before}_0_0&to=s0_0_0_0_{afterUpload}_0_0");
        var (_, none) = await carol.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/keys/changes?from=s0_0_0_0_{afterUpload}_0_0&to=s9_9_9_9_{afterUpload}_9_9");

        await using var scope = server.Services.CreateAsyncScope();
        var sync = scope.ServiceProvider.GetRequiredService<KeysSyncSource>();
        var unused = (await sync.OneTimeKeyStatusAsync(carol.UserId, carol.DeviceId, CancellationToken.None)).UnusedFallbackAlgorithms;
        var changed = (await scope.ServiceProvider.GetRequiredService<DeviceListChanges>().BetweenAsync(carol.UserId, (0, before), (0, afterUpload), null, CancellationToken.None)).Changed;

        Assert.Equal(before + 1, afterUpload);
        Assert.Equal(afterUpload, afterRetry);
        Assert.Equal([carol.UserId], changes!["changed"]!.AsArray().Select(u => (string)u!));
        Assert.Empty(changes["left"]!.AsArray());
        Assert.Empty(none!["changed"]!.AsArray());
        Assert.Equal(["signed_curve25519"], unused);
        Assert.Equal([carol.UserId], changed);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Users_who_start_sharing_a_room_are_reported_as_changed_and_those_who_stop_as_left(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, ownerToken) = await server.CreateUserAsync(Name("kowner", provider));
        var (joiner, joinerToken) = await server.CreateUserAsync(Name("kjoiner", provider));
        var roomId = await Rooms.RoomTests.CreateRoomAsync(server, ownerToken, """{"preset":"public_chat"}""");
        var start = await NextBatchAsync(server, ownerToken, null);

        Assert.True((await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", joinerToken)).Response.IsSuccessStatusCode);
        var (joined, afterJoin) = await DeviceListsAsync(server, ownerToken, start);
        Assert.True((await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{roomId}/leave", "{}", joinerToken)).Response.IsSuccessStatusCode);
        var (left, _) = await DeviceListsAsync(server, ownerToken, afterJoin);
        var (_, changes) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/keys/changes?from={start}&to={await NextBatchAsync(server, ownerToken, afterJoin)}", accessToken: ownerToken);

        Assert.Equal([joiner], joined!["changed"]!.AsArray().Select(u => (string)u!));
        Assert.Empty(joined["left"]!.AsArray());
        Assert.Equal([joiner], left!["left"]!.AsArray().Select(u => (string)u!));
        Assert.Empty(left["changed"]!.AsArray());
        // Over both: joined and gone again, so only left.
        Assert.Empty(changes!["changed"]!.AsArray());
        Assert.Equal([joiner], changes["left"]!.AsArray().Select(u => (string)u!));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Unknown_users_and_devices_are_left_out_and_remote_servers_are_reported_as_failures(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var dan = await E2eeDevice.CreateAsync(server, Name("kdan", provider), "DANDEV");
        await dan.UploadOkAsync(new JsonObject { ["device_keys"] = dan.DeviceKeys() });

        var (query, queried) = await dan.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", JsonNode.Parse($$$$"""
            {"device_keys":{"{{{{dan.UserId}}}}":["NOPE"],"@ghost:localhost":[],"@far:remote.example":[],"not a user":[]}}
            """));
        var (claim, claimed) = await dan.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/claim", JsonNode.Parse($$$$"""
            {"one_time_keys":{"{{{{dan.UserId}}}}":{"DANDEV":"signed_curve25519","NOPE":"signed_curve25519"},"@ghost:localhost":{"X":"signed_curve25519"},"@far:remote.example":{"Y":"signed_curve25519"}}}
            """));

        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Empty(queried!["device_keys"]![dan.UserId]!.AsObject());
        Assert.Empty(queried["device_keys"]!["@ghost:localhost"]!.AsObject());
        Assert.False(queried["device_keys"]!.AsObject().ContainsKey("@far:remote.example"));
        Assert.Equal(503, (int)queried["failures"]!["remote.example"]!["status"]!);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        Assert.Empty(claimed!["one_time_keys"]!.AsObject());
        Assert.True(claimed["failures"]!.AsObject().ContainsKey("remote.example"));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Deleting_a_device_unpublishes_its_keys_and_is_a_device_list_change(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var eli = await E2eeDevice.CreateAsync(server, Name("keli", provider), "ELIOLD");
        using var newer = await eli.LoginAgainAsync("ELINEW");
        await eli.UploadOkAsync(new JsonObject
        {
            ["device_keys"] = eli.DeviceKeys(),
            ["one_time_keys"] = new JsonObject { ["signed_curve25519:A"] = eli.SignedKey("a") },
        });
        var positions = server.Services.GetRequiredService<StreamPositions>();
        var before = positions.Published(StreamName.DeviceLists);

        var (deleted, _) = await newer.SendAsync(HttpMethod.Post, "/_matrix/client/v3/delete_devices", JsonNode.Parse($$$"""
            {"devices":["ELIOLD"],"auth":{"type":"m.login.password","user":"{{{eli.UserId}}}","password":"{{{Password}}}"}}
            """));
        var (_, query) = await newer.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", JsonNode.Parse($$$"""{"device_keys":{"{{{eli.UserId}}}":[]}}"""));
        var (_, claim) = await newer.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/claim", JsonNode.Parse($$$"""{"one_time_keys":{"{{{eli.UserId}}}":{"ELIOLD":"signed_curve25519"} } }"""));
        await using var scope = server.Services.CreateAsyncScope();
        var changed = (await scope.ServiceProvider.GetRequiredService<DeviceListChanges>()
            .BetweenAsync(eli.UserId, (0, before), (0, positions.Published(StreamName.DeviceLists)), null, CancellationToken.None)).Changed;

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Empty(query!["device_keys"]![eli.UserId]!.AsObject());
        Assert.Empty(claim!["one_time_keys"]!.AsObject());
        Assert.Equal([eli.UserId], changed);
    }

    private static async Task<string> NextBatchAsync(TestHomeserver server, string token, string? since)
    {
        var (_, sync) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/sync?timeout=0" + (since is null ? "" : "&since=" + since), accessToken: token);
        return (string)sync!["next_batch"]!;
    }

    /// <summary>The <c>device_lists</c> of an incremental sync from <paramref name="since"/>, and its next token.</summary>
    private static async Task<(JsonObject? DeviceLists, string NextBatch)> DeviceListsAsync(TestHomeserver server, string token, string since)
    {
        var (_, sync) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/sync?timeout=0&since={since}", accessToken: token);
        return (sync!["device_lists"] as JsonObject, (string)sync["next_batch"]!);
    }
}
