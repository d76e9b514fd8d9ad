using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Homeserver.Load;

/// <summary>
/// One large upload and its download, both streamed, while the server's resident memory is sampled: a server
/// that buffers media whole grows by the file's size, one that streams does not.
/// </summary>
internal static class MediaScenario
{
    public static async Task<Report> RunAsync(Options options)
    {
        var url = options.Require("url").TrimEnd('/') + "/";
        var pid = options.GetInt("pid", -1);
        var megabytes = options.GetInt("megabytes", 50);
        var size = megabytes * 1024L * 1024;
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        var token = await new MatrixClient(http).RegisterAsync("media" + Guid.NewGuid().ToString("N")[..8], "load test password", CancellationToken.None);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var before = MemoryScenario.ResidentMegabytes(pid);
        using var sampling = new CancellationTokenSource();
        var peak = SampleAsync(pid, sampling.Token);

        var upload = Stopwatch.StartNew();
        var content = new StreamContent(new GeneratedStream(size));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = size;
        using var uploaded = await http.PostAsync("_matrix/media/v3/upload?filename=load.bin", content);
        var uri = (string)JsonNode.Parse(await uploaded.Content.ReadAsStringAsync())!["content_uri"]!;
        upload.Stop();

        var download = Stopwatch.StartNew();
        using var response = await http.GetAsync($"_matrix/client/v1/media/download/{uri["mxc://".Length..]}", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = await SHA256.HashDataAsync(body);
        download.Stop();

        await sampling.CancelAsync();
        var max = await peak;
        await using var expected = new GeneratedStream(size);
        var expectedHash = await SHA256.HashDataAsync(expected);
        if (!received.SequenceEqual(expectedHash))
        {
            throw new InvalidOperationException("The downloaded bytes differ from the uploaded ones.");
        }

        return new Report("media")
            .Add("size", megabytes, "MiB")
            .Add("upload", megabytes / upload.Elapsed.TotalSeconds, "MiB_per_s")
            .Add("download", megabytes / download.Elapsed.TotalSeconds, "MiB_per_s")
            .Add("rss before", before, "MiB")
            .Add("rss max during", max, "MiB")
            .Add("rss growth", max - before, "MiB");
    }

    private static async Task<double> SampleAsync(int pid, CancellationToken cancellationToken)
    {
        var max = 0.0;
        while (!cancellationToken.IsCancellationRequested)
        {
            max = Math.Max(max, MemoryScenario.ResidentMegabytes(pid));
            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return Math.Max(max, MemoryScenario.ResidentMegabytes(pid));
    }
}
