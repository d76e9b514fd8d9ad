using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Homeserver.Load;

/// <summary>Message throughput and send latency: N messages into one room, C senders at a time (C=1: one after another).</summary>
internal static class SendScenario
{
    public static async Task<Report> RunAsync(Options options)
    {
        var url = options.Require("url").TrimEnd('/') + "/";
        var messages = options.GetInt("messages", 2000);
        var concurrency = options.GetInt("concurrency", 1);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.ConnectionClose = false;
        var client = new MatrixClient(http);
        var prefix = "send" + Guid.NewGuid().ToString("N")[..8];
        var tokens = new string[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            tokens[i] = await client.RegisterAsync($"{prefix}_{i}", "load test password", CancellationToken.None);
        }

        var roomId = (string)(await client.PostAsync("_matrix/client/v3/createRoom", tokens[0], new JsonObject { ["preset"] = "public_chat" }, CancellationToken.None))["room_id"]!;
        for (var i = 1; i < concurrency; i++)
        {
            await client.PostAsync($"_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", tokens[i], [], CancellationToken.None);
        }

        // Warm-up, so that the figures measure the steady state rather than the first requests' JIT and connections.
        var warmup = options.GetInt("warmup", 1);
        await SendAllAsync(client, tokens, roomId, warmup, "warmup", null);
        var latencies = new ConcurrentBag<double>();
        var total = Stopwatch.StartNew();
        await SendAllAsync(client, tokens, roomId, messages, "", latencies);
        total.Stop();

        return new Report("send")
            .Add("messages", messages, "count")
            .Add("concurrency", concurrency, "senders")
            .Add("warm-up messages", warmup, "count")
            .Add("throughput", messages / total.Elapsed.TotalSeconds, "per_s")
            .AddPercentiles("latency", latencies.ToArray(), "ms");
    }

    private static async Task SendAllAsync(MatrixClient client, string[] tokens, string roomId, int messages, string label, ConcurrentBag<double>? latencies)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, tokens.Length).Select(async sender =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < messages)
            {
                var one = Stopwatch.StartNew();
                await SendAsync(client, tokens[sender], roomId, $"{label}{sender}-{n}", CancellationToken.None);
                latencies?.Add(one.Elapsed.TotalMilliseconds);
            }
        }));
    }

    internal static Task<JsonObject> SendAsync(MatrixClient client, string token, string roomId, string body, CancellationToken cancellationToken) =>
        client.PutAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/{Guid.NewGuid():N}", token,
            new JsonObject { ["msgtype"] = "m.text", ["body"] = body }, cancellationToken);
}
