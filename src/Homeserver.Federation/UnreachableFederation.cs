using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Protocol.Signing;

namespace Homeserver.Federation;

/// <summary>
/// Federation until the outbound client and the key ring are in: every other server is unreachable and has no
/// keys, so nothing is sent and every remote signature fails — refusing rather than trusting.
/// </summary>
public sealed class UnreachableFederation : IFederationClient, IServerKeyRing
{
    public Task<JsonNode?> SendAsync(HttpMethod method, string destination, string pathAndQuery, JsonNode? body, CancellationToken cancellationToken) =>
        throw new FederationException(destination, null, null, "Outbound federation is not available yet");

    public Task<IReadOnlyDictionary<(string Server, string KeyId), VerifyKey>> GetKeysAsync(
        IReadOnlyCollection<(string Server, string KeyId, long MinimumValidUntilTs)> wanted, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<(string Server, string KeyId), VerifyKey>>(new Dictionary<(string Server, string KeyId), VerifyKey>());
}
