using System.Diagnostics;
using System.Text.Json.Nodes;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Load;

/// <summary>
/// Inbound federation transactions: the load generator runs a homeserver of its own, joins its user @loadbot to a
/// public room of the server under test over make_join/send_join, then sends N PDUs of that user in transactions of
/// 50, one at a time as the spec requires per origin. With forks, F% of the PDUs cite an older event as their prev
/// event and change the topic, and the next PDU merges both branches, so that the server resolves conflicting state.
/// Every PDU is built and signed before the clock starts.
/// </summary>
internal static class InboundScenario
{
    private const int PdusPerTransaction = 50;
    private const int LoggedFailures = 10;

    public static async Task<Report> RunAsync(Options options)
    {
        var pduCount = options.GetInt("pdus", 10_000);
        var forkPercent = options.GetInt("fork-percent", 0);
        var forkDepth = options.GetInt("fork-depth", 3);
        var roomVersion = options.Get("room-version", "11");
        // Whole transactions of warm-up, long enough for the JIT's second tier on a freshly started server.
        var warmup = (options.GetInt("warmup", 1000) + PdusPerTransaction - 1) / PdusPerTransaction * PdusPerTransaction;
        if (forkPercent is < 0 or > 50 || forkDepth < 1 || !RoomVersions.TryGet(roomVersion, out var rules))
        {
            throw new ArgumentException("--fork-percent is 0 to 50, --fork-depth at least 1, --room-version a known version.");
        }

        using var clientHttp = new HttpClient { BaseAddress = new Uri(options.Require("url").TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) };
        using var federationHttp = FederationClient.CreateHttpClient(options.Get("federation-url", "https://127.0.0.1:8448"));
        var client = new MatrixClient(clientHttp);
        await using var remote = await RemoteServer.StartAsync(CancellationToken.None);
        var target = options.Get("server-name", "");
        if (target.Length == 0)
        {
            var keys = await federationHttp.GetStringAsync("_matrix/key/v2/server");
            target = (string)JsonNode.Parse(keys)!["server_name"]!;
        }

        var federation = new FederationClient(federationHttp, remote.ServerName, target, remote.Key);
        var bot = $"@loadbot:{remote.ServerName}";

        // The room, with power for the bot to change the topic, so that forked branches carry conflicting state.
        var prefix = "inbound" + Guid.NewGuid().ToString("N")[..8];
        var token = await client.RegisterAsync(prefix, "load test password", CancellationToken.None);
        var roomId = (string)(await client.PostAsync("_matrix/client/v3/createRoom", token,
            new JsonObject { ["preset"] = "public_chat", ["room_version"] = roomVersion }, CancellationToken.None))["room_id"]!;
        var room = Uri.EscapeDataString(roomId);
        var powerLevels = await client.GetAsync($"_matrix/client/v3/rooms/{room}/state/m.room.power_levels/", token, CancellationToken.None);
        powerLevels["users"]![bot] = 50;
        await client.PutAsync($"_matrix/client/v3/rooms/{room}/state/m.room.power_levels/", token, powerLevels, CancellationToken.None);

        // The join, over federation as a remote server does it.
        var joined = await RemoteJoin.JoinAsync(federation, remote, roomId, bot, roomVersion);
        var pdus = new PduFactory(rules, roomId, bot, remote.ServerName, remote.Key)
        {
            AuthEvents = [joined.StateId("m.room.create"), joined.StateId("m.room.power_levels"), joined.JoinId],
        };

        // The DAG, built ahead: a line of messages, with forks that branch off an older event and are merged next.
        var chain = new List<(string Id, long Depth)> { (joined.JoinId, joined.Depth) };
        var built = new List<(string Id, JsonObject Json)>(pduCount + PdusPerTransaction);
        var total = pduCount + warmup;
        var baseTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var forkCredit = 0;
        (string Id, long Depth)? fork = null;
        var forks = 0;
        string? lastTopic = null;
        for (var i = 0; i < total; i++)
        {
            var tip = chain[^1];
            var message = new JsonObject { ["msgtype"] = "m.text", ["body"] = $"{prefix} message {i}" };
            var ts = baseTs + i;
            forkCredit += i >= warmup ? forkPercent : 0;
            if (fork is { } open)
            {
                var merge = pdus.Create("m.room.message", null, message, [tip.Id, open.Id], Math.Max(tip.Depth, open.Depth) + 1, ts);
                built.Add(merge);
                chain.Add((merge.EventId, Math.Max(tip.Depth, open.Depth) + 1));
                fork = null;
                continue;
            }

            if (i >= warmup && forkCredit >= 100 && chain.Count > forkDepth)
            {
                forkCredit -= 100;
                var from = chain[^(forkDepth + 1)];
                lastTopic = $"{prefix} fork {i}";
                var topic = pdus.Create("m.room.topic", "", new JsonObject { ["topic"] = lastTopic }, [from.Id], from.Depth + 1, ts);
                built.Add(topic);
                fork = (topic.EventId, from.Depth + 1);
                forks++;
                continue;
            }

            var next = pdus.Create("m.room.message", null, message, [tip.Id], tip.Depth + 1, ts);
            built.Add(next);
            chain.Add((next.EventId, tip.Depth + 1));
        }

        var transactions = built.Chunk(PdusPerTransaction).Select((batch, n) => (
            Ids: batch.Select(p => p.Id).ToArray(),
            Request: federation.Sign(HttpMethod.Put, $"_matrix/federation/v1/send/{prefix}-{n}", new JsonObject
            {
                ["origin"] = remote.ServerName,
                ["origin_server_ts"] = baseTs,
                ["pdus"] = new JsonArray([.. batch.Select(p => (JsonNode)p.Json)]),
            }))).ToList();

        var failures = 0;
        var acknowledged = 0;
        var latencies = new List<double>();
        var perTransaction = new List<(int Acknowledged, double Seconds)>();
        var clock = new Stopwatch();
        foreach (var (n, (ids, request)) in transactions.Index())
        {
            if (n == warmup / PdusPerTransaction)
            {
                clock.Start();
            }

            var one = Stopwatch.StartNew();
            var answer = await federation.SendAsync(request, CancellationToken.None);
            one.Stop();
            var results = answer["pdus"] as JsonObject ?? [];
            var ok = 0;
            foreach (var id in ids)
            {
                if (results[id] is JsonObject result && result.Count == 0)
                {
                    ok++;
                }
                else if (++failures <= LoggedFailures)
                {
                    await Console.Error.WriteLineAsync($"PDU {id}: {results[id]?.ToJsonString() ?? "no result"}");
                }
            }

            if (n < warmup / PdusPerTransaction)
            {
                // Warm-up: its failures count, its time does not.
                continue;
            }


            acknowledged += ok;
            latencies.Add(one.Elapsed.TotalMilliseconds);
            perTransaction.Add((ok, one.Elapsed.TotalSeconds));
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var last = built[^1].Id;
        var held = await client.GetAsync($"_matrix/client/v3/rooms/{room}/event/{Uri.EscapeDataString(last)}", token, CancellationToken.None);
        // Each merge resolves the fork's topic against the main line's, the same sender's at the same power: the
        // later timestamp wins, so state resolution that worked leaves the last fork's topic current.
        var topicResolved = lastTopic is null
            || (string?)(await client.GetAsync($"_matrix/client/v3/rooms/{room}/state/m.room.topic/", token, CancellationToken.None))["topic"] == lastTopic;
        var tenth = Math.Max(1, perTransaction.Count / 10);
        static double Rate(IEnumerable<(int Acknowledged, double Seconds)> part) =>
            part.Sum(t => t.Acknowledged) / part.Sum(t => t.Seconds);

        return new Report("inbound")
            .Add("pdus", pduCount, "count")
            .Add("warm-up pdus", warmup, "count")
            .Add("forks", forks, "count")
            .Add("throughput", acknowledged / elapsed, "per_s")
            .Add("throughput first tenth", Rate(perTransaction.Take(tenth)), "per_s")
            .Add("throughput last tenth", Rate(perTransaction.TakeLast(tenth)), "per_s")
            .AddPercentiles("transaction latency", latencies, "ms")
            .Add("failures", failures, "count")
            .Add("last pdu held", (string?)held["event_id"] == last ? 1 : 0, "bool")
            .Add("last fork topic current", topicResolved ? 1 : 0, "bool")
            .Add("requests back from server", remote.UnexpectedRequests, "count");
    }
}
