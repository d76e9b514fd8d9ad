using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Rooms;

namespace Homeserver.Tests.Sync;

/// <summary>
/// An incremental sync skips the rooms with nothing new without reading them; what it knows of each room's newest
/// event is rebuilt after a restart, and must never hide an event.
/// </summary>
public sealed class QuietRoomTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task Across_a_restart_an_incremental_sync_shows_exactly_the_rooms_that_moved(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        var (_, token) = await server.CreateUserAsync("quinn");
        var roomIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            roomIds.Add(await RoomTests.CreateRoomAsync(server, token, "{}"));
        }

        var since = (string)(await SyncTests.SyncAsync(server, token, null))["next_batch"]!;
        await server.StopAsync();
        await server.RestartAsync();

        // Nothing moved: every room is quiet, read from the database once.
        var nothing = await SyncTests.SyncAsync(server, token, since);
        Assert.Null(nothing["rooms"]?["join"]);

        await RoomTests.SendTextAsync(server, token, roomIds[1], "only here");
        var moved = await SyncTests.SyncAsync(server, token, since);
        var joined = moved["rooms"]!["join"]!.AsObject();
        Assert.Equal([roomIds[1]], joined.Select(r => r.Key));
        Assert.Contains(joined[roomIds[1]]!["timeline"]!["events"]!.AsArray(), e => (string?)e!["content"]?["body"] == "only here");

        // A room that was quiet before moves later, and is seen.
        since = (string)moved["next_batch"]!;
        await RoomTests.SendTextAsync(server, token, roomIds[2], "then here");
        var later = await SyncTests.SyncAsync(server, token, since);
        Assert.Equal([roomIds[2]], later["rooms"]!["join"]!.AsObject().Select(r => r.Key));
    }
}
