using System.Reflection;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Rooms;
using Homeserver.Core.Sync;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Rooms;
using Microsoft.Extensions.DependencyInjection;

namespace Homeserver.Tests.Sync;

/// <summary>
/// A sync reads the user's memberships before it takes its stream positions. A join that commits between the two
/// is covered by the positions handed out, so the sync must read the memberships again rather than skip the room:
/// otherwise the client never learns it joined, nor the room's state (a federated end-to-end test saw an encrypted
/// room that the client did not know was encrypted).
/// </summary>
public sealed class MembershipRaceTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task A_join_committed_while_a_sync_reads_memberships_is_shown_with_the_room_state(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        var (_, aliceToken) = await server.CreateUserAsync("alice");
        var (bobId, bobToken) = await server.CreateUserAsync("bob");
        var roomId = await RoomTests.CreateRoomAsync(server, aliceToken, $$"""{"name": "Raced", "invite": ["{{bobId}}"]}""");
        var since = (string)(await SyncTests.SyncAsync(server, bobToken, null))["next_batch"]!;

        await using var scope = server.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IRoomReadStore>();
        var joined = false;
        var racing = InterceptingRoomReadStore.Create(store, async () =>
        {
            // Once, after the first read of bob's memberships and before the sync takes its positions.
            if (!joined)
            {
                joined = true;
                var (response, _) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", bobToken);
                Assert.True(response.IsSuccessStatusCode);
            }
        });
        // A cache of its own, so that bob's memberships are read through the racing store (the server's cache holds them).
        var sync = ActivatorUtilities.CreateInstance<SyncService>(scope.ServiceProvider, racing,
            ActivatorUtilities.CreateInstance<UserMembershipCache>(scope.ServiceProvider));
        // Read as a client reads it: the answer's events are written, not navigable, until serialised.
        var first = JsonNode.Parse((await sync.SyncAsync(new Session(bobId, "raced", IsAdmin: false), new SyncRequest(since, 0, null, false, null), CancellationToken.None)).ToJsonString())!;
        Assert.True(joined);

        // Whether the join shows in the raced sync or the next one, it must show, with the room's state.
        var next = await SyncTests.SyncAsync(server, bobToken, (string)first["next_batch"]!);
        var room = first["rooms"]?["join"]?[roomId] ?? next["rooms"]?["join"]?[roomId];
        Assert.NotNull(room);
        var events = room["state"]!["events"]!.AsArray().Concat(room["timeline"]!["events"]!.AsArray()).ToList();
        Assert.Contains(events, e => (string?)e!["type"] == "m.room.name" && (string?)e["content"]?["name"] == "Raced");
        Assert.Contains(events, e => (string?)e!["type"] == "m.room.member" && (string?)e["state_key"] == bobId && (string?)e["content"]?["membership"] == "join");
    }

    /// <summary>The real store, with a hook run after each read of memberships and before its answer is returned.</summary>
    public class InterceptingRoomReadStore : DispatchProxy
    {
        private IRoomReadStore _inner = null!;
        private Func<Task> _afterMembershipsRead = null!;

        public static IRoomReadStore Create(IRoomReadStore inner, Func<Task> afterMembershipsRead)
        {
            var proxy = Create<IRoomReadStore, InterceptingRoomReadStore>();
            var self = (InterceptingRoomReadStore)(object)proxy;
            self._inner = inner;
            self._afterMembershipsRead = afterMembershipsRead;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(_inner, args);
            return targetMethod.Name == nameof(IRoomReadStore.GetMembershipsAsync) ? Delayed((Task<IReadOnlyList<UserMembership>>)result!) : result;
        }

        private async Task<IReadOnlyList<UserMembership>> Delayed(Task<IReadOnlyList<UserMembership>> read)
        {
            var memberships = await read;
            await _afterMembershipsRead();
            return memberships;
        }
    }
}
