using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Homeserver.Load;

/// <summary>
/// Joining over federation: a public room on server A whose state holds K members, joined by a user of server B.
/// Of the members, L are A's own users; the others belong to the load generator's own server (see
/// <see cref="RemoteMembers"/>), which is how a room of 30,000 members is built in minutes.
/// Times the join request, then until B's copy is usable both ways (B's message seen on A) and holds every member.
/// </summary>
internal static class FederatedJoinScenario
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    public static async Task<Report> RunAsync(Options options)
    {
        var members = options.GetInt("members", 1000);
        var localMembers = Math.Clamp(options.GetInt("local-members", members), 1, members);
        var concurrency = options.GetInt("concurrency", 4);
        var remotePid = options.GetInt("remote-pid", -1);
        using var httpA = new HttpClient { BaseAddress = new Uri(options.Require("url").TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        using var httpB = new HttpClient { BaseAddress = new Uri(options.Require("remote-url").TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        var (a, b) = (new MatrixClient(httpA), new MatrixClient(httpB));
        var prefix = "fjoin" + Guid.NewGuid().ToString("N")[..8];

        // The room on A: its creator and L-1 more local members, registered and joined C at a time; the other K-L
        // members are users of the load generator's own server, joined over federation.
        var creator = await a.RegisterAsync($"{prefix}_0", "load test password", CancellationToken.None);
        // Version 11: its room IDs name the server that B joins through.
        const string roomVersion = "11";
        var roomId = (string)(await a.PostAsync("_matrix/client/v3/createRoom", creator,
            new JsonObject { ["preset"] = "public_chat", ["room_version"] = roomVersion }, CancellationToken.None))["room_id"]!;
        var serverA = roomId[(roomId.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var build = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, localMembers - 1), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, cancellationToken) =>
        {
            var token = await a.RegisterAsync($"{prefix}_{i}", "load test password", cancellationToken);
            await a.PostAsync($"_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}", token, [], cancellationToken);
        });
        // Kept up to the end: B fetches its key to check the members' events it receives with the room's state.
        await using var remote = members > localMembers ? await RemoteServer.StartAsync(CancellationToken.None) : null;
        if (remote is not null)
        {
            using var federationHttp = FederationClient.CreateHttpClient($"https://{serverA}");
            await RemoteMembers.JoinAsync(remote, new FederationClient(federationHttp, remote.ServerName, serverA, remote.Key), roomId,
                roomVersion, members - localMembers, prefix);
        }

        build.Stop();
        var joiner = await b.RegisterAsync($"{prefix}_remote", "load test password", CancellationToken.None);
        var rssBefore = remotePid > 0 ? MemoryScenario.ResidentMegabytes(remotePid) : double.NaN;
        var join = Stopwatch.StartNew();
        await b.PostAsync($"_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}?server_name={Uri.EscapeDataString(serverA)}", joiner, [], CancellationToken.None);
        var joined = join.Elapsed;

        var marker = $"{prefix} from B";
        await SendScenario.SendAsync(b, joiner, roomId, marker, CancellationToken.None);
        await UntilAsync(async () =>
        {
            var page = await a.GetAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/messages?dir=b&limit=5", creator, CancellationToken.None);
            return page["chunk"]!.AsArray().Any(e => (string?)e!["content"]?["body"] == marker);
        }, "B's message on A");
        var usable = join.Elapsed;

        await UntilAsync(async () =>
        {
            var list = await b.GetAsync($"_matrix/client/v3/rooms/{Uri.EscapeDataString(roomId)}/joined_members", joiner, CancellationToken.None);
            return list["joined"]!.AsObject().Count >= members + 1;
        }, "every member in B's copy");
        var full = join.Elapsed;

        var report = new Report("federated-join")
            .Add("members", members, "count")
            .Add("local members", localMembers, "count")
            .Add("room built on A", build.Elapsed.TotalSeconds, "s")
            .Add("join request", joined.TotalSeconds, "s")
            .Add("usable both ways", usable.TotalSeconds, "s")
            .Add("full state on B", full.TotalSeconds, "s");
        if (remotePid > 0)
        {
            report.Add("B rss before join", rssBefore, "MiB").Add("B rss peak", PeakResidentMegabytes(remotePid), "MiB");
        }

        if (remote is not null)
        {
            report.Add("requests back to the load server", remote.UnexpectedRequests, "count");
        }

        return report;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not seen within {Deadline.TotalMinutes} minutes: {what}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The process's high-water mark of resident memory since it started (VmHWM).</summary>
    private static double PeakResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}
