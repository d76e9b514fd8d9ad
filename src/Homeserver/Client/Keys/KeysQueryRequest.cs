namespace Homeserver.Client.Keys;

/// <summary>The body of <c>POST /keys/query</c>: user ID → device IDs (none: all devices).</summary>
public sealed record KeysQueryRequest(Dictionary<string, List<string?>?> DeviceKeys, long? Timeout = null)
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Devices() =>
        DeviceKeys.ToDictionary(u => u.Key, u => (IReadOnlyList<string>)[.. (u.Value ?? []).OfType<string>()], StringComparer.Ordinal);
}
