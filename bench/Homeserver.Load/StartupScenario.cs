using System.Diagnostics;

namespace Homeserver.Load;

/// <summary>Start-up time: from starting the server process to its first answer to <c>/_matrix/client/versions</c>.</summary>
internal static class StartupScenario
{
    public static async Task<Report> RunAsync(Options options)
    {
        var command = options.Require("command");
        var url = options.Get("url", "http://127.0.0.1:8008").TrimEnd('/');
        var runs = options.GetInt("runs", 3);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var samples = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"exec {command}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new ArgumentException($"Cannot start '{command}'.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            try
            {
                while (!await AnswersAsync(http, url))
                {
                    if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
                    {
                        throw new ArgumentException($"The server did not answer at {url} (exit code {(process.HasExited ? process.ExitCode : -1)}).");
                    }

                    await Task.Delay(20);
                }

                samples.Add(clock.Elapsed.TotalMilliseconds);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        return new Report("startup").Add("runs", runs, "count").AddPercentiles("time to first answer", samples, "ms");
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"{url}/_matrix/client/versions"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
