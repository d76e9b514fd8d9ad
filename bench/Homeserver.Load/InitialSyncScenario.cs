using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Homeserver.Load;

/// <summary>
/// /sync of an account in N rooms of M members, each with S state events of its own and K messages: the initial sync
/// with and without lazy-loaded members, then an incremental sync after E new events across the rooms.
/// </summary>
internal static class InitialSyncScenario
{
    private const int Parallelism = 8;

    public static async Task<Report> RunAsync(Options options)
    {
        var url = options.Require("url").TrimEnd('/') + "/";
        var roomCount = options.GetInt("rooms", 1000);
        var members = options.GetInt("members", 20);
        var stateEvents = options.GetInt("state", 5);
        var messages = options.GetInt("messages", 50);
        var newEvents = options.GetInt("new-events", 10_000);
        var runs = options.GetInt("runs", 3);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        var client = new MatrixClient(http);
        var prefix = "isync" + Guid.NewGuid().ToString("N")[..8];
        var tokens = new string[members];
        await Parallel.ForEachAsync(Enumerable.Range(0, members), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            tokens[i] = await client.RegisterAsync($"{prefix}_{i}", "load test password", ct));
        var token = tokens[0];

        var setup = Stopwatch.StartNew();
        var roomIds = new string[roomCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, roomCount), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) =>
        {
            var roomId = (string)(await client.PostAsync("_matrix/client/v3/createRoom", token, new JsonObject { ["preset"] = "public_chat", ["name"] = $"room {i}" }, ct))["room_id"]!;
            roomIds[i] = roomId;
            var room = Uri.EscapeDataString(roomId);
            for (var m = 1; m < members; m++)
            {
                await client.PostAsync($"_matrix/client/v3/join/{room}", tokens[m], [], ct);
            }

            for (var s = 0; s < stateEvents; s++)
            {
                await client.PutAsync($"_matrix/client/v3/rooms/{room}/state/org.example.load/{s}", token, new JsonObject { ["n"] = s }, ct);
            }

            for (var k = 0; k < messages; k++)
            {
                await SendScenario.SendAsync(client, tokens[k % members], roomId, $"message {k} in room {i}", ct);
            }
        });
        setup.Stop();

        var lazy = Uri.EscapeDataString("""{"room":{"timeline":{"limit":10},"state":{"lazy_load_members":true}}}""");
        var full = Uri.EscapeDataString("""{"room":{"timeline":{"limit":10}}}""");
        var (lazyTimes, lazyRooms, nextBatch) = await SyncAsync(client, token, $"_matrix/client/v3/sync?filter={lazy}", runs);
        var (fullTimes, fullRooms, _) = await SyncAsync(client, token, $"_matrix/client/v3/sync?filter={full}", runs);

        var sent = -1;
        await Parallel.ForEachAsync(Enumerable.Range(0, Parallelism), async (_, ct) =>
        {
            int n;
            while ((n = Interlocked.Increment(ref sent)) < newEvents)
            {
                await SendScenario.SendAsync(client, tokens[n % members], roomIds[n % roomCount], $"new {n}", ct);
            }
        });
        var (incrementalTimes, incrementalRooms, _) = await SyncAsync(client, token, $"_matrix/client/v3/sync?filter={lazy}&since={Uri.EscapeDataString(nextBatch)}&timeout=0", 1);

        return new Report("initial-sync")
            .Add("rooms", roomCount, "count")
            .Add("members per room", members, "count")
            .Add("messages per room", messages, "count")
            .Add("setup", setup.Elapsed.TotalSeconds, "s")
            .Add("rooms returned (lazy)", lazyRooms, "count")
            .AddPercentiles("initial sync, lazy members", lazyTimes, "ms")
            .Add("rooms returned (all members)", fullRooms, "count")
            .AddPercentiles("initial sync, all members", fullTimes, "ms")
            .Add("new events", newEvents, "count")
            .Add("rooms returned (incremental)", incrementalRooms, "count")
            .Add("incremental sync", incrementalTimes[0], "ms");
    }

    private static async Task<(List<double> Times, int Rooms, string NextBatch)> SyncAsync(MatrixClient client, string token, string path, int runs)
    {
        var times = new List<double>();
        var rooms = 0;
        var nextBatch = "";
        for (var run = 0; run < runs; run++)
        {
            var one = Stopwatch.StartNew();
            var response = await client.GetAsync(path, token, CancellationToken.None);
            times.Add(one.Elapsed.TotalMilliseconds);
            rooms = response["rooms"]?["join"]?.AsObject().Count ?? 0;
            nextBatch = (string?)response["next_batch"] ?? "";
        }

        return (times, rooms, nextBatch);
    }
}
