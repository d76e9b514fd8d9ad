using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Homeserver.Load;

/// <summary>
/// Send-to-sync delivery: M members of one room each hold a /sync long-poll open while messages are sent at R per
/// second for S seconds; for every message and every member, the time from the send to its arrival in that member's
/// sync. Counts what never arrived.
/// </summary>
internal static class LatencyScenario
{
    public static async Task<Report> RunAsync(Options options)
    {
        var url = options.Require("url").TrimEnd('/') + "/";
        var members = options.GetInt("members", 100);
        var rate = options.GetInt("rate", 500);
        var seconds = options.GetInt("seconds", 10);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = members + 16 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(120) };
        var client = new MatrixClient(http);
        var prefix = "lat" + Guid.NewGuid().ToString("N")[..8];
        var tokens = new string[members];
        for (var i = 0; i < members; i++)
        {
            tokens[i] = await client.RegisterAsync($"{prefix}_{i}", "load test password", CancellationToken.None);
        }

        var roomId = (string)(await client.PostAsync("_matrix/client/v3/createRoom", tokens[0], new JsonObject { ["preset"] = "public_chat" }, CancellationToken.None))["room_id"]!;
        await Parallel.ForEachAsync(tokens.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (token, ct) =>
            await client.PostAsync($"_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", token, [], ct));

        var clock = Stopwatch.StartNew();
        var sentAt = new ConcurrentDictionary<string, double>();
        var latencies = new ConcurrentBag<double>();
        var received = new ConcurrentDictionary<(int, string), bool>();
        using var stop = new CancellationTokenSource();
        const string FilterJson = """{"room":{"timeline":{"limit":1000,"types":["m.room.message"]},"state":{"types":[]}},"presence":{"types":[]}}""";
        // "inline" sends the filter with every sync; "stored" uploads it once per member and syncs with its ID, as
        // Element and matrix-js-sdk do.
        var filters = options.Get("filter", "inline") switch
        {
            "inline" => Enumerable.Repeat(Uri.EscapeDataString(FilterJson), members).ToArray(),
            "stored" => await Task.WhenAll(tokens.Select(token => StoreFilterAsync(client, token, FilterJson))),
            var other => throw new ArgumentException($"--filter is inline or stored, not {other}"),
        };
        // Every member's starting point is taken before the first send, so that each message is due in an incremental sync.
        var starts = await Task.WhenAll(Enumerable.Range(0, members).Select(async member =>
            (string)(await client.GetAsync($"_matrix/client/v3/sync?timeout=0&filter={filters[member]}", tokens[member], CancellationToken.None))["next_batch"]!));
        var syncers = Enumerable.Range(0, members).Select(async member =>
        {
            var since = starts[member];
            while (!stop.IsCancellationRequested)
            {
                JsonDocument response;
                try
                {
                    response = await client.GetDocumentAsync($"_matrix/client/v3/sync?timeout=5000&filter={filters[member]}&since={Uri.EscapeDataString(since)}", tokens[member], stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                using (response)
                {
                    var now = clock.Elapsed.TotalMilliseconds;
                    since = response.RootElement.GetProperty("next_batch").GetString()!;
                    foreach (var body in TimelineBodies(response.RootElement, roomId))
                    {
                        if (sentAt.TryGetValue(body, out var at) && received.TryAdd((member, body), true))
                        {
                            latencies.Add(now - at);
                        }
                    }
                }
            }
        }).ToList();
        await Task.Delay(1000);

        var total = rate * seconds;
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var start = clock.Elapsed;
        var sends = new List<Task>(total);
        var sendLatencies = new ConcurrentBag<double>();
        for (var i = 0; i < total; i++)
        {
            var due = start + (interval * i);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var body = $"m{i}";
            var sentAtMs = clock.Elapsed.TotalMilliseconds;
            sentAt[body] = sentAtMs;
            sends.Add(TimedSendAsync(client, tokens[i % members], roomId, body, clock, sentAtMs, sendLatencies));
        }

        await Task.WhenAll(sends);
        var achieved = total / (clock.Elapsed - start).TotalSeconds;
        var deadline = clock.Elapsed + TimeSpan.FromSeconds(30);
        while (received.Count < total * members && clock.Elapsed < deadline)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(syncers);
        return new Report("latency")
            .Add("members", members, "count")
            .Add("rate asked", rate, "per_s")
            .Add("rate achieved", achieved, "per_s")
            .Add("deliveries", received.Count, "count")
            .Add("lost", (total * members) - received.Count, "count")
            .AddPercentiles("send", sendLatencies.ToArray(), "ms")
            .AddPercentiles("delivery", latencies.ToArray(), "ms");
    }

    private static async Task<string> StoreFilterAsync(MatrixClient client, string token, string filterJson)
    {
        var userId = (string)(await client.GetAsync("_matrix/client/v3/account/whoami", token, CancellationToken.None))["user_id"]!;
        var created = await client.PostAsync($"_matrix/client/v3/user/{Uri.EscapeDataString(userId)}/filter", token, JsonNode.Parse(filterJson)!.AsObject(), CancellationToken.None);
        return (string)created["filter_id"]!;
    }

    /// <summary>A send timed to its answer: the share of a delivery's latency spent before the event was committed.</summary>
    private static async Task TimedSendAsync(MatrixClient client, string token, string roomId, string body, Stopwatch clock, double sentAtMs, ConcurrentBag<double> latencies)
    {
        await SendScenario.SendAsync(client, token, roomId, body, CancellationToken.None);
        latencies.Add(clock.Elapsed.TotalMilliseconds - sentAtMs);
    }

    /// <summary>The message bodies in a sync answer's timeline of the room.</summary>
    private static IEnumerable<string> TimelineBodies(JsonElement sync, string roomId)
    {
        if (!sync.TryGetProperty("rooms", out var rooms) || !rooms.TryGetProperty("join", out var join) || !join.TryGetProperty(roomId, out var room)
            || !room.TryGetProperty("timeline", out var timeline) || !timeline.TryGetProperty("events", out var events))
        {
            yield break;
        }

        foreach (var e in events.EnumerateArray())
        {
            if (e.TryGetProperty("content", out var content) && content.TryGetProperty("body", out var body) && body.GetString() is { } text)
            {
                yield return text;
            }
        }
    }
}
