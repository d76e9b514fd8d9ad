namespace Homeserver.Protocol.RoomVersions;

/// <summary>
/// Everything that differs between room versions, as data. Later versions are derived from earlier ones with
/// <c>with { … }</c>; code branches on these flags, never on the version string.
/// </summary>
public sealed record RoomVersionRules
{
    public required string Id { get; init; }

    public RoomVersionStability Stability { get; init; } = RoomVersionStability.Stable;

    public EventFormat EventFormat { get; init; }

    public StateResolutionAlgorithm StateResolution { get; init; }

    /// <summary>v5+: a signature only counts when made while the key was valid (<c>valid_until_ts</c>).</summary>
    public bool EnforceKeyValidity { get; init; }

    /// <summary>v6+: canonical JSON is checked strictly (integers in range, no floats) when events are received.</summary>
    public bool StrictCanonicalJson { get; init; }

    public required AuthorizationRules Authorization { get; init; }

    public required RedactionRules Redaction { get; init; }
}
