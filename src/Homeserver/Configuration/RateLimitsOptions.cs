namespace Homeserver.Configuration;

/// <summary>
/// Request rate limits per client address. Test harnesses and benchmarks turn them off with
/// <c>Homeserver:RateLimits:Enabled=false</c>.
/// </summary>
public sealed class RateLimitsOptions
{
    public bool Enabled { get; set; } = true;

    public RateLimitOptions Login { get; set; } = new() { Burst = 10, PerSecond = 1 };

    public RateLimitOptions Registration { get; set; } = new() { Burst = 5, PerSecond = 0.2 };
}
