using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Homeserver.Load;

/// <summary>
/// Database bytes per message: the size the server's database reports (through a command, so that any server and
/// database can be measured) before and after N messages sent into one room.
/// </summary>
internal static class StorageScenario
{
    public static async Task<Report> RunAsync(Options options)
    {
        var url = options.Require("url").TrimEnd('/') + "/";
        var sizeCommand = options.Require("size-command");
        var messages = options.GetInt("messages", 20_000);
        var concurrency = options.GetInt("concurrency", 10);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        var client = new MatrixClient(http);
        var token = await client.RegisterAsync("store" + Guid.NewGuid().ToString("N")[..8], "load test password", CancellationToken.None);
        var roomId = (string)(await client.PostAsync("_matrix/client/v3/createRoom", token, new JsonObject { ["preset"] = "public_chat" }, CancellationToken.None))["room_id"]!;
        await SendScenario.SendAsync(client, token, roomId, "warmup", CancellationToken.None);

        var before = await SizeAsync(sizeCommand);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < messages)
            {
                // About the size of a typical chat line.
                await SendScenario.SendAsync(client, token, roomId, $"message {n}: the quick brown fox jumps over the lazy dog", CancellationToken.None);
            }
        }));
        var after = await SizeAsync(sizeCommand);

        return new Report("storage")
            .Add("messages", messages, "count")
            .Add("database before", before / 1048576.0, "MiB")
            .Add("database after", after / 1048576.0, "MiB")
            .Add("per message", (after - before) / (double)messages, "bytes");
    }

    /// <summary>Runs the command through the shell; its output's first number is the size in bytes.</summary>
    private static async Task<long> SizeAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("Cannot start /bin/sh.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var first = output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return process.ExitCode == 0 && long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : throw new InvalidOperationException($"The size command printed '{output.Trim()}' and exited with {process.ExitCode}.");
    }
}
