using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Rooms;

/// <summary>
/// The room engine holds each room's head (forward extremities and current state snapshot) in memory and writes it only
/// when a batch moves it; after a restart it reads the head back, and new events must stand on the state before it.
/// </summary>
public sealed class RoomRestartTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task Events_after_a_restart_stand_on_the_state_changed_before_it(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        var (_, host) = await server.CreateUserAsync("rhost", "pw", "HOST");
        var (late, lateToken) = await server.CreateUserAsync("rlate", "pw", "LATE");
        var roomId = await RoomTests.CreateRoomAsync(server, host,
            """{"preset":"public_chat","initial_state":[{"type":"m.room.history_visibility","content":{"history_visibility":"joined"}}]}""");
        await RoomTests.SendTextAsync(server, host, roomId, "before the join");
        // Messages between the join and the restart leave the state as the join made it.
        var (joined, _) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", lateToken);
        Assert.True(joined.IsSuccessStatusCode);
        await RoomTests.SendTextAsync(server, host, roomId, "after the join");

        await server.StopAsync();
        await server.RestartAsync();

        await RoomTests.SendTextAsync(server, host, roomId, "after the restart");
        var page = await RoomTests.MessagesAsync(server, lateToken, roomId, "dir=b");
        var bodies = page["chunk"]!.AsArray().Where(e => (string?)e!["type"] == "m.room.message").Select(e => (string?)e!["content"]!["body"]);
        Assert.Equal(["after the restart", "after the join"], bodies);

        // The state at the newest event is read from the snapshot it was written on.
        var at = Uri.EscapeDataString((string)page["start"]!);
        var (_, members) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/members?at={at}&membership=join", null, lateToken);
        Assert.Contains(late, members!["chunk"]!.AsArray().Select(e => (string?)e!["state_key"]));
    }
}
