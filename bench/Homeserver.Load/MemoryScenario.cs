using System.Globalization;

namespace Homeserver.Load;

/// <summary>Resident memory of a running server, sampled from /proc (Linux).</summary>
internal static class MemoryScenario
{
    public static async Task<Report> RunAsync(Options options)
    {
        var pid = options.GetInt("pid", -1);
        var seconds = options.GetInt("seconds", 5);
        var samples = new List<double>();
        var end = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < end)
        {
            samples.Add(ResidentMegabytes(pid));
            await Task.Delay(100);
        }

        return new Report("memory")
            .Add("rss min", samples.Min(), "MiB")
            .Add("rss mean", samples.Average(), "MiB")
            .Add("rss max", samples.Max(), "MiB");
    }

    public static double ResidentMegabytes(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (pid <= 0 || !File.Exists(path))
        {
            throw new ArgumentException($"No process {pid} to measure (--pid).");
        }

        var line = File.ReadLines(path).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kilobytes / 1024;
    }
}
