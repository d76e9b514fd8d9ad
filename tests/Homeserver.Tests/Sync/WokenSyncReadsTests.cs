using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Keys;
using Homeserver.Core.Rooms;
using Homeserver.Core.Sync;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Keys;
using Homeserver.Tests.Rooms;
using Microsoft.Extensions.DependencyInjection;

namespace Homeserver.Tests.Sync;

/// <summary>
/// A long-poll woken by a message reads neither the user's memberships, nor who joined or left their rooms, nor
/// their one-time key counts, when memory shows none of them moved; and each is read again, and shown, as soon as
/// it does move: a claimed key, a member joining, the user joining, leaving and forgetting a room.
/// </summary>
public sealed class WokenSyncReadsTests
{
    private const string MembershipsRead = nameof(IRoomReadStore.GetMembershipsAsync);
    private const string SharingRead = nameof(ISharedRoomUsers.SharingChangesAsync);
    private const string KeyStatusRead = nameof(IDeviceKeyStore.GetOneTimeKeyStatusAsync);
    private const string TimelinesRead = nameof(IRoomReadStore.GetLatestTimelinesAsync);

    [Theory]
    [OnEveryDatabase]
    public async Task A_sync_rereads_memberships_sharing_and_key_counts_only_after_they_change(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        using var alice = await E2eeDevice.CreateAsync(server, "alice", "ALICEDEV");
        var (_, bobToken) = await server.CreateUserAsync("bob");
        var (carolId, carolToken) = await server.CreateUserAsync("carol");
        await alice.UploadOkAsync(new JsonObject
        {
            ["device_keys"] = alice.DeviceKeys(),
            ["one_time_keys"] = new JsonObject { ["signed_curve25519:AAAAAQ"] = alice.SignedKey("otk1"), ["signed_curve25519:AAAAAg"] = alice.SignedKey("otk2") },
        });
        var roomId = await RoomTests.CreateRoomAsync(server, alice.AccessToken, """{"preset":"public_chat"}""");
        await JoinAsync(server, bobToken, roomId);

        await using var scope = server.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var (rooms, roomCalls) = CallCounter.Wrap(services.GetRequiredService<IRoomReadStore>());
        var (shared, sharedCalls) = CallCounter.Wrap(services.GetRequiredService<ISharedRoomUsers>());
        var (keys, keyCalls) = CallCounter.Wrap(services.GetRequiredService<IDeviceKeyStore>());
        var keysExtension = ActivatorUtilities.CreateInstance<KeysSyncExtension>(services,
            ActivatorUtilities.CreateInstance<KeysSyncSource>(services, keys),
            ActivatorUtilities.CreateInstance<DeviceListChanges>(services, keys, shared));
        var sync = ActivatorUtilities.CreateInstance<SyncService>(services, rooms, (IEnumerable<ISyncExtension>)[keysExtension]);
        var session = new Session(alice.UserId, alice.DeviceId, IsAdmin: false);
        // Read as a client reads it: the answer's events are written, not navigable, until serialised.
        async Task<JsonObject> SyncAsync(string? since, string? filter = null) =>
            JsonNode.Parse((await sync.SyncAsync(session, new SyncRequest(since, 0, filter, false, null), CancellationToken.None)).ToJsonString())!.AsObject();
        int Reads(ConcurrentDictionary<string, int> calls, string method) => calls.GetValueOrDefault(method);

        var initial = await SyncAsync(null);
        Assert.Equal(2, (int)initial["device_one_time_keys_count"]!["signed_curve25519"]!);
        var (memberships, sharing, keyStatus, timelines) =
            (Reads(roomCalls, MembershipsRead), Reads(sharedCalls, SharingRead), Reads(keyCalls, KeyStatusRead), Reads(roomCalls, TimelinesRead));

        // A message: nothing is read, not even the timeline, which the writer's window holds.
        await RoomTests.SendTextAsync(server, bobToken, roomId, "hello");
        var woken = await SyncAsync((string)initial["next_batch"]!);
        Assert.Contains(woken["rooms"]!["join"]![roomId]!["timeline"]!["events"]!.AsArray(), e => (string?)e!["content"]?["body"] == "hello");
        Assert.Equal(2, (int)woken["device_one_time_keys_count"]!["signed_curve25519"]!);
        Assert.Equal((memberships, sharing, keyStatus, timelines),
            (Reads(roomCalls, MembershipsRead), Reads(sharedCalls, SharingRead), Reads(keyCalls, KeyStatusRead), Reads(roomCalls, TimelinesRead)));

        // Bob claims one of alice's keys: the next sync counts again, and shows one left.
        var (claim, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/claim",
            $$$$"""{"one_time_keys":{"{{{{alice.UserId}}}}":{"{{{{alice.DeviceId}}}}":"signed_curve25519"}}}""", bobToken);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        await RoomTests.SendTextAsync(server, bobToken, roomId, "claimed");
        var afterClaim = await SyncAsync((string)woken["next_batch"]!);
        Assert.Equal(1, (int)afterClaim["device_one_time_keys_count"]!["signed_curve25519"]!);
        Assert.Equal(keyStatus + 1, Reads(keyCalls, KeyStatusRead));
        Assert.Equal((memberships, sharing), (Reads(roomCalls, MembershipsRead), Reads(sharedCalls, SharingRead)));

        // Carol joins alice's room: who shares a room with alice is read, and carol's devices are news.
        await JoinAsync(server, carolToken, roomId);
        var afterCarol = await SyncAsync((string)afterClaim["next_batch"]!);
        Assert.Contains(carolId, afterCarol["device_lists"]!["changed"]!.AsArray().Select(u => (string?)u));
        Assert.Equal(sharing + 1, Reads(sharedCalls, SharingRead));
        Assert.Equal(memberships, Reads(roomCalls, MembershipsRead));

        // Alice joins another room, then leaves and forgets it: her memberships are read after each.
        var otherRoom = await RoomTests.CreateRoomAsync(server, carolToken, """{"preset":"public_chat"}""");
        await JoinAsync(server, alice.AccessToken, otherRoom);
        var afterJoin = await SyncAsync((string)afterCarol["next_batch"]!);
        Assert.NotNull(afterJoin["rooms"]!["join"]![otherRoom]);
        Assert.True(Reads(roomCalls, MembershipsRead) > memberships);
        const string includeLeave = """{"room":{"include_leave":true}}""";
        await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{otherRoom}/leave", "{}", alice.AccessToken);
        Assert.NotNull((await SyncAsync(null, includeLeave))["rooms"]?["leave"]?[otherRoom]);
        var (forget, _) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/rooms/{otherRoom}/forget", "{}", alice.AccessToken);
        Assert.Equal(HttpStatusCode.OK, forget.StatusCode);
        Assert.Null((await SyncAsync(null, includeLeave))["rooms"]?["leave"]?[otherRoom]);
    }

    private static async Task JoinAsync(TestHomeserver server, string token, string roomId)
    {
        var (response, _) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
