using Homeserver.Core.Errors;

namespace Homeserver.Client.Keys;

/// <summary>The body of <c>POST /keys/claim</c>: user ID → device ID → algorithm.</summary>
public sealed record KeysClaimRequest(Dictionary<string, Dictionary<string, string?>?> OneTimeKeys, long? Timeout = null)
{
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Claims() =>
        OneTimeKeys.ToDictionary(
            u => u.Key,
            u => (IReadOnlyDictionary<string, string>)(u.Value ?? throw MatrixException.BadJson($"one_time_keys.{u.Key} must be an object"))
                .ToDictionary(d => d.Key, d => d.Value ?? throw MatrixException.BadJson("An algorithm must be a string"), StringComparer.Ordinal),
            StringComparer.Ordinal);
}
