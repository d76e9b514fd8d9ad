using Homeserver.Protocol.Signing;

namespace Homeserver.Core.Federation;

/// <summary>
/// The verify keys of other servers (server-server API, "Retrieving server keys"): served from the cache while valid,
/// otherwise fetched from the server itself or from the configured notaries, their signatures checked, and cached.
/// </summary>
public interface IServerKeyRing
{
    /// <summary>
    /// The keys found among those wanted; a key is missing from the answer when it cannot be had. A cached key whose
    /// validity ends before <c>MinimumValidUntilTs</c> is fetched again first.
    /// </summary>
    Task<IReadOnlyDictionary<(string Server, string KeyId), VerifyKey>> GetKeysAsync(
        IReadOnlyCollection<(string Server, string KeyId, long MinimumValidUntilTs)> wanted, CancellationToken cancellationToken);
}
