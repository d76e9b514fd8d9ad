using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Homeserver.Load;

/// <summary>Initial sync of an account in N rooms, with lazy-loaded members: the time of each of R syncs.</summary>
internal static class InitialSyncScenario
{
    public static async Task<Report> RunAsync(Options options)
    {
        var url = options.Require("url").TrimEnd('/') + "/";
        var roomCount = options.GetInt("rooms", 1000);
        var runs = options.GetInt("runs", 3);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        var client = new MatrixClient(http);
        var token = await client.RegisterAsync("isync" + Guid.NewGuid().ToString("N")[..8], "load test password", CancellationToken.None);
        var setup = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, roomCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var roomId = (string)(await client.PostAsync("_matrix/client/v3/createRoom", token, new JsonObject { ["name"] = $"room {i}" }, ct))["room_id"]!;
            await SendScenario.SendAsync(client, token, roomId, $"hello {i}", ct);
        });
        setup.Stop();

        var filter = Uri.EscapeDataString("""{"room":{"timeline":{"limit":10},"state":{"lazy_load_members":true}}}""");
        var times = new List<double>();
        var joined = 0;
        for (var run = 0; run < runs; run++)
        {
            var one = Stopwatch.StartNew();
            var response = await client.GetAsync($"_matrix/client/v3/sync?filter={filter}", token, CancellationToken.None);
            times.Add(one.Elapsed.TotalMilliseconds);
            joined = response["rooms"]?["join"]?.AsObject().Count ?? 0;
        }

        return new Report("initial-sync")
            .Add("rooms", roomCount, "count")
            .Add("rooms returned", joined, "count")
            .Add("room creation", roomCount / setup.Elapsed.TotalSeconds, "per_s")
            .AddPercentiles("initial sync", times, "ms");
    }
}
