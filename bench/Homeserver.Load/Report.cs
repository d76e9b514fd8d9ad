using System.Globalization;
using System.Text.Json;

namespace Homeserver.Load;

/// <summary>A scenario's figures: printed as an aligned table for people and one JSON line for scripts.</summary>
internal sealed class Report(string scenario)
{
    private readonly List<(string Name, double Value, string Unit)> _figures = [];

    public Report Add(string name, double value, string unit)
    {
        _figures.Add((name, value, unit));
        return this;
    }

    /// <summary>Adds p50, p99 and max of a set of samples.</summary>
    public Report AddPercentiles(string name, IReadOnlyCollection<double> samples, string unit)
    {
        var sorted = samples.Order().ToArray();
        return Add($"{name} p50", Percentile(sorted, 0.50), unit)
            .Add($"{name} p99", Percentile(sorted, 0.99), unit)
            .Add($"{name} max", sorted.Length == 0 ? double.NaN : sorted[^1], unit);
    }

    public void Print(TextWriter output)
    {
        var width = _figures.Max(f => f.Name.Length);
        output.WriteLine($"{scenario}:");
        foreach (var (name, value, unit) in _figures)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name.PadRight(width)}  {value,12:0.###} {unit}"));
        }

        var json = new Dictionary<string, object> { ["scenario"] = scenario };
        foreach (var (name, value, unit) in _figures)
        {
            json[$"{name.Replace(' ', '_')}_{unit}"] = Math.Round(value, 3);
        }

        output.WriteLine(JsonSerializer.Serialize(json));
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
