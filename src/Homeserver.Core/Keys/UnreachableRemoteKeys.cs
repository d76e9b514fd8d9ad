using System.Text.Json.Nodes;

namespace Homeserver.Core.Keys;

/// <summary>
/// The remote key query until federation is built: every other server counts as unreachable, so that clients see
/// it in <c>failures</c> rather than an empty answer they would trust.
/// </summary>
public sealed class UnreachableRemoteKeys : IRemoteKeyQuery
{
    public Task<JsonObject?> QueryAsync(string serverName, IReadOnlyDictionary<string, IReadOnlyList<string>> deviceKeys, CancellationToken cancellationToken) =>
        Task.FromResult<JsonObject?>(null);

    public Task<JsonObject?> ClaimAsync(string serverName, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> oneTimeKeys, CancellationToken cancellationToken) =>
        Task.FromResult<JsonObject?>(null);
}
