using System.Text.Json.Nodes;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Rooms;

namespace Homeserver.Tests.Sync;

/// <summary>
/// Incremental syncs answered from the writer's window of recent events show exactly what a read of the database
/// shows: redactions applied, and a gap longer than the window read from the database, limited, with the newest
/// events.
/// </summary>
public sealed class RecentTimelineTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task A_sync_from_the_window_matches_the_database_across_redactions_gaps_and_restarts(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        var (_, token) = await server.CreateUserAsync("rita");
        var roomId = await RoomTests.CreateRoomAsync(server, token, "{}");
        var since = (string)(await SyncTests.SyncAsync(server, token, null))["next_batch"]!;

        var typo = await RoomTests.SendTextAsync(server, token, roomId, "tpyo");
        await RoomTests.SendTextAsync(server, token, roomId, "kept");
        var (redacted, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/redact/{Uri.EscapeDataString(typo)}/r1", "{}", token);
        Assert.True(redacted.IsSuccessStatusCode);
        var fromWindow = Timeline(await SyncTests.SyncAsync(server, token, since), roomId);

        // The same sync after a restart, which empties the window: read from the database.
        await server.StopAsync();
        await server.RestartAsync();
        var fromDatabase = Timeline(await SyncTests.SyncAsync(server, token, since), roomId);
        Assert.Equal(fromDatabase.ToJsonString(), fromWindow.ToJsonString());
        var shownTypo = fromWindow["events"]!.AsArray().Single(e => (string?)e!["event_id"] == typo)!;
        Assert.Empty(shownTypo["content"]!.AsObject());
        Assert.NotNull(shownTypo["unsigned"]!["redacted_because"]);

        // More events than the window holds since the token: limited, the newest ten, as the database has them.
        var before = (string)(await SyncTests.SyncAsync(server, token, since))["next_batch"]!;
        var sent = new List<string>();
        for (var i = 0; i < RecentTimelines.EventsPerRoom + 4; i++)
        {
            sent.Add(await RoomTests.SendTextAsync(server, token, roomId, $"m{i}"));
        }

        var gap = Timeline(await SyncTests.SyncAsync(server, token, before), roomId);
        Assert.True((bool)gap["limited"]!);
        Assert.Equal(sent.TakeLast(10), gap["events"]!.AsArray().Select(e => (string?)e!["event_id"]));

        // Within the window: not limited, exactly the events after the token.
        var recent = (string)(await SyncTests.SyncAsync(server, token, before))["next_batch"]!;
        var last = await RoomTests.SendTextAsync(server, token, roomId, "last");
        var small = Timeline(await SyncTests.SyncAsync(server, token, recent), roomId);
        Assert.False((bool)small["limited"]!);
        Assert.Equal([last], small["events"]!.AsArray().Select(e => (string?)e!["event_id"]));
    }

    private static JsonObject Timeline(JsonObject sync, string roomId)
    {
        // What differs between two syncs of the same events: the page token and the events' ages.
        var timeline = sync["rooms"]!["join"]![roomId]!["timeline"]!.AsObject();
        timeline.Remove("prev_batch");
        foreach (var e in timeline["events"]!.AsArray())
        {
            e!["unsigned"]?.AsObject().Remove("age");
        }

        return timeline;
    }
}
