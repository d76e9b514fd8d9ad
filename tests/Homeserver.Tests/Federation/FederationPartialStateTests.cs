using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Partial-state joins (server-server API, <c>send_join</c> with <c>omit_members</c>): B joins a room of A with the
/// members left out, uses it at once, and completes its state afterwards with <c>/state</c> at its join.
/// </summary>
public sealed class FederationPartialStateTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    private const int Members = 7;

    [Fact]
    public async Task A_room_joined_with_its_members_left_out_is_usable_at_once_and_complete_afterwards()
    {
        var (a, b) = (servers.A, servers.B);
        var (roomId, tokens) = await RoomOnAsync(a, """{"preset":"public_chat","name":"Named, so no heroes"}""");
        var (zed, zedToken) = await b.CreateUserAsync(RoomTests.Name("zed"));

        await JoinWithoutCompletingAsync(b, a, roomId, zed);
        Assert.True(await IsPartialAsync(b, roomId));
        // Only our own member event: the room has a name, so no heroes come along.
        Assert.Equal([zed], await MembersInStateAsync(b, zedToken, roomId));
        // Meanwhile B hands its state to no other server, as if it were whole.
        var joinId = (string)(await FederationTests.StateAsync(b, zedToken, roomId)).Single(e => (string?)e!["state_key"] == zed)!["event_id"]!;
        var refusal = await Assert.ThrowsAsync<FederationException>(() => a.Services.GetRequiredService<IFederationClient>().SendAsync(HttpMethod.Get, b.ServerName,
            $"/_matrix/federation/v1/state_ids/{Uri.EscapeDataString(roomId)}?event_id={Uri.EscapeDataString(joinId)}", null, CancellationToken.None));
        Assert.Equal(404, refusal.StatusCode);

        // Usable both ways: our message reaches A, and a member B has never seen is let in by its auth events.
        await RoomTests.SendTextAsync(b, zedToken, roomId, "from B while partial");
        await FederationTests.EventuallyAsync(() => HasMessageAsync(a, tokens[0], roomId, "from B while partial"), "B's message on A");
        await RoomTests.SendTextAsync(a, tokens[3], roomId, "from an unseen member");
        await FederationTests.EventuallyAsync(() => HasMessageAsync(b, zedToken, roomId, "from an unseen member"), "the unseen member's message on B");

        var beforeCompletion = (string)(await Sync.SyncTests.SyncAsync(b, zedToken, null))["next_batch"]!;

        // A member list asked now waits for the whole state rather than answer with one member.
        var joinedMembers = JoinedMembersAsync(b, zedToken, roomId);
        await Task.Delay(500);
        Assert.False(joinedMembers.IsCompleted);
        Assert.True(await b.Services.GetRequiredService<PartialStateCompletion>().CompleteAsync(roomId, CancellationToken.None));
        Assert.False(await IsPartialAsync(b, roomId));
        Assert.Equal(Members + 1, (await joinedMembers).Count);
        Assert.Equal(Members + 1, (await MembersInStateAsync(b, zedToken, roomId)).Count);
        // A client synced before the completion is shown the room whole again, with every member in its state.
        var synced = await Sync.SyncTests.SyncAsync(b, zedToken, beforeCompletion);
        var shown = synced["rooms"]?["join"]?[roomId];
        var stateAndTimeline = (shown?["state"]?["events"]?.AsArray() ?? []).Concat(shown?["timeline"]?["events"]?.AsArray() ?? []);
        Assert.Equal(Members + 1, stateAndTimeline.Where(e => (string?)e!["type"] == "m.room.member" && (string?)e["content"]?["membership"] == "join")
            .Select(e => (string?)e!["state_key"]).Distinct().Count());

        // The snapshots since the join were filled in too: after a restart, B places the next event on the state
        // after the last one as stored, and every member is kept.
        await b.StopAsync();
        await b.RestartAsync();
        await RoomTests.SendTextAsync(a, tokens[5], roomId, "after completion");
        await FederationTests.EventuallyAsync(() => HasMessageAsync(b, zedToken, roomId, "after completion"), "the message after completion on B");
        Assert.Equal(Members + 1, (await JoinedMembersAsync(b, zedToken, roomId)).Count);
        var stateOnA = (await FederationTests.StateAsync(a, tokens[0], roomId)).Select(e => (string?)e!["event_id"]).Order();
        var stateOnB = (await FederationTests.StateAsync(b, zedToken, roomId)).Select(e => (string?)e!["event_id"]).Order();
        Assert.Equal(stateOnA, stateOnB);
    }

    [Fact]
    public async Task A_room_without_a_name_comes_with_its_heroes_and_is_completed_by_the_worker_after_a_restart()
    {
        // The other way round: the room on B, joined by A's user, so both databases play both parts.
        var (a, b) = (servers.A, servers.B);
        var (roomId, _) = await RoomOnAsync(b, """{"preset":"public_chat"}""");
        var (zed, zedToken) = await a.CreateUserAsync(RoomTests.Name("zed"));

        await JoinWithoutCompletingAsync(a, b, roomId, zed);
        Assert.True(await IsPartialAsync(a, roomId));
        // The five heroes a client names the room after, and our own member event.
        Assert.Equal(6, (await MembersInStateAsync(a, zedToken, roomId)).Count);

        await a.StopAsync();
        await a.RestartAsync();
        await FederationTests.EventuallyAsync(async () => !await IsPartialAsync(a, roomId), "the state completed after the restart");
        Assert.Equal(Members + 1, (await JoinedMembersAsync(a, zedToken, roomId)).Count);
    }

    [Fact]
    public async Task Without_omit_members_the_resident_server_answers_the_whole_state()
    {
        var (a, b) = (servers.A, servers.B);
        var (roomId, _) = await RoomOnAsync(a, """{"preset":"public_chat","name":"Named"}""");
        var (zed, zedToken) = await b.CreateUserAsync(RoomTests.Name("zed"));

        await using var scope = b.Services.CreateAsyncScope();
        var remote = ActivatorUtilities.CreateInstance<RemoteMembership>(scope.ServiceProvider, new JoinPolicy(PartialState: false), new PartialStateSignal());
        await remote.JoinAsync(roomId, zed, new JsonObject { ["membership"] = "join" }, [a.ServerName], CancellationToken.None);
        Assert.False(await IsPartialAsync(b, roomId));
        Assert.Equal(Members + 1, (await JoinedMembersAsync(b, zedToken, roomId)).Count);
    }

    /// <summary>A room with <see cref="Members"/> of the server's users joined; their tokens, the creator's first.</summary>
    private static async Task<(string RoomId, List<string> Tokens)> RoomOnAsync(TestHomeserver a, string body)
    {
        var (_, creatorToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var roomId = await RoomTests.CreateRoomAsync(a, creatorToken, body);
        var tokens = new List<string> { creatorToken };
        for (var i = 1; i < Members; i++)
        {
            var (_, token) = await a.CreateUserAsync(RoomTests.Name("member"));
            var join = await a.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", "{}", token);
            Assert.True(join.Response.IsSuccessStatusCode, join.Body?.ToJsonString());
            tokens.Add(token);
        }

        return (roomId, tokens);
    }

    /// <summary>Joins with partial state, telling a signal of its own: the joining server's worker does not complete the state.</summary>
    private static async Task JoinWithoutCompletingAsync(TestHomeserver joiner, TestHomeserver resident, string roomId, string userId)
    {
        await using var scope = joiner.Services.CreateAsyncScope();
        var remote = ActivatorUtilities.CreateInstance<RemoteMembership>(scope.ServiceProvider, new JoinPolicy(PartialState: true), new PartialStateSignal());
        await remote.JoinAsync(roomId, userId, new JsonObject { ["membership"] = "join" }, [resident.ServerName], CancellationToken.None);
    }

    private static async Task<bool> IsPartialAsync(TestHomeserver server, string roomId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();
        return await db.PartialStateRooms.AnyAsync(p => db.Rooms.Any(r => r.RoomNid == p.RoomNid && r.RoomId == roomId));
    }

    /// <summary>The joined members in the current state (<c>GET /state</c>, which never waits for a partial state).</summary>
    private static async Task<List<string>> MembersInStateAsync(TestHomeserver server, string token, string roomId) =>
    [
        .. (await FederationTests.StateAsync(server, token, roomId))
            .Where(e => (string?)e!["type"] == "m.room.member" && (string?)e["content"]?["membership"] == "join")
            .Select(e => (string)e!["state_key"]!),
    ];

    private static async Task<List<string>> JoinedMembersAsync(TestHomeserver server, string token, string roomId)
    {
        var (response, body) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/joined_members", accessToken: token);
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        return [.. body!["joined"]!.AsObject().Select(m => m.Key)];
    }

    private static async Task<bool> HasMessageAsync(TestHomeserver server, string token, string roomId, string text)
    {
        var messages = await RoomTests.MessagesAsync(server, token, roomId, "dir=b&limit=20");
        return messages["chunk"]!.AsArray().Any(e => (string?)e!["content"]?["body"] == text);
    }
}
