namespace Homeserver.Configuration;

/// <summary>A token bucket: up to <see cref="Burst"/> requests at once, refilled at <see cref="PerSecond"/>.</summary>
public sealed class RateLimitOptions
{
    public int Burst { get; set; }

    public double PerSecond { get; set; }
}
