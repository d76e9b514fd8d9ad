using System.Text.Json.Nodes;

namespace Homeserver.Core.Keys;

/// <summary>
/// Asks other homeservers for their users' keys (server-server API, <c>/user/keys/query</c>, <c>/user/keys/claim</c> and
/// <c>/user/devices</c>).
/// Each method returns the remote server's response body, or null when it could not be reached.
/// </summary>
public interface IRemoteKeyQuery
{
    /// <param name="deviceKeys">The <c>device_keys</c> request: user ID to device IDs.</param>
    Task<JsonObject?> QueryAsync(string serverName, IReadOnlyDictionary<string, IReadOnlyList<string>> deviceKeys, CancellationToken cancellationToken);

    /// <param name="oneTimeKeys">The <c>one_time_keys</c> request: user ID to device ID to algorithm.</param>
    Task<JsonObject?> ClaimAsync(string serverName, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> oneTimeKeys, CancellationToken cancellationToken);

    /// <summary><c>GET /user/devices/{userId}</c>: the user's whole device list with its stream ID.</summary>
    Task<JsonObject?> UserDevicesAsync(string serverName, string userId, CancellationToken cancellationToken);
}
