namespace Homeserver.Core.Keys;

/// <summary>What a device has left to be claimed: one-time keys by algorithm, and the algorithms of its unused fallback keys.</summary>
public sealed record OneTimeKeyStatus(IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> UnusedFallbackAlgorithms);
