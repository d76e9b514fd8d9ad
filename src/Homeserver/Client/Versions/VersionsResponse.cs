using System.Text.Json.Serialization;

namespace Homeserver.Client.Versions;

public sealed record VersionsResponse(
    IReadOnlyList<string> Versions,
    [property: JsonPropertyName("unstable_features")] IReadOnlyDictionary<string, bool> UnstableFeatures);
