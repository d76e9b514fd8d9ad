using System.Diagnostics;

namespace Homeserver.Load;

/// <summary>Registration throughput: N users, C at a time, through user-interactive auth.</summary>
internal static class RegisterScenario
{
    public static async Task<Report> RunAsync(Options options)
    {
        var url = options.Require("url").TrimEnd('/') + "/";
        var users = options.GetInt("users", 50);
        var concurrency = options.GetInt("concurrency", 4);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        var client = new MatrixClient(http);
        var prefix = "load" + Guid.NewGuid().ToString("N")[..8];
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, cancellationToken) =>
        {
            var one = Stopwatch.StartNew();
            await client.RegisterAsync($"{prefix}_{i}", "load test password", cancellationToken);
            latencies.Add(one.Elapsed.TotalMilliseconds);
        });

        return new Report("register")
            .Add("users", users, "count")
            .Add("throughput", users / total.Elapsed.TotalSeconds, "per_s")
            .AddPercentiles("latency", latencies.ToArray(), "ms");
    }
}
