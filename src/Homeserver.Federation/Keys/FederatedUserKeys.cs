using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Keys;
using Microsoft.Extensions.Logging;

namespace Homeserver.Federation.Keys;

/// <summary>
/// Other servers' users' keys (server-server API, "End-to-End Encryption" and "Device Management"):
/// <c>POST /user/keys/query</c>, <c>/user/keys/claim</c> and <c>GET /user/devices/{userId}</c> on the user's server.
/// </summary>
public sealed partial class FederatedUserKeys(IFederationClient federation, ILogger<FederatedUserKeys> logger) : IRemoteKeyQuery
{
    /// <summary>The client's own default for these requests; a server slower than that is reported as a failure.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public Task<JsonObject?> QueryAsync(string serverName, IReadOnlyDictionary<string, IReadOnlyList<string>> deviceKeys, CancellationToken cancellationToken) =>
        AskAsync(HttpMethod.Post, serverName, "/_matrix/federation/v1/user/keys/query", new JsonObject
        {
            ["device_keys"] = new JsonObject([.. deviceKeys.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)new JsonArray([.. u.Value.Select(d => (JsonNode)d)])))]),
        }, cancellationToken);

    public Task<JsonObject?> ClaimAsync(string serverName, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> oneTimeKeys, CancellationToken cancellationToken) =>
        AskAsync(HttpMethod.Post, serverName, "/_matrix/federation/v1/user/keys/claim", new JsonObject
        {
            ["one_time_keys"] = new JsonObject([.. oneTimeKeys.Select(u => KeyValuePair.Create(
                u.Key, (JsonNode?)new JsonObject([.. u.Value.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))])))]),
        }, cancellationToken);

    public Task<JsonObject?> UserDevicesAsync(string serverName, string userId, CancellationToken cancellationToken) =>
        AskAsync(HttpMethod.Get, serverName, "/_matrix/federation/v1/user/devices/" + Uri.EscapeDataString(userId), null, cancellationToken);

    private async Task<JsonObject?> AskAsync(HttpMethod method, string serverName, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await federation.SendAsync(method, serverName, path, body, timeout.Token) as JsonObject;
        }
        catch (FederationException e)
        {
            LogUnreachable(serverName, path, e.Message);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(serverName, path, "timed out");
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not ask {ServerName} for {Path}: {Reason}")]
    private partial void LogUnreachable(string serverName, string path, string reason);
}
