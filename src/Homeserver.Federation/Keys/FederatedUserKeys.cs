using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Keys;
using Microsoft.Extensions.Logging;

namespace Homeserver.Federation.Keys;

/// <summary>
/// Other servers' users' keys (server-server API, "End-to-End Encryption"): <c>POST /user/keys/query</c> and
/// <c>/user/keys/claim</c> on the user's server, asked afresh each time: nothing about remote devices is cached.
/// </summary>
public sealed partial class FederatedUserKeys(IFederationClient federation, ILogger<FederatedUserKeys> logger) : IRemoteKeyQuery
{
    /// <summary>The client's own default for these requests; a server slower than that is reported as a failure.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public Task<JsonObject?> QueryAsync(string serverName, IReadOnlyDictionary<string, IReadOnlyList<string>> deviceKeys, CancellationToken cancellationToken) =>
        AskAsync(serverName, "/_matrix/federation/v1/user/keys/query", new JsonObject
        {
            ["device_keys"] = new JsonObject([.. deviceKeys.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)new JsonArray([.. u.Value.Select(d => (JsonNode)d)])))]),
        }, cancellationToken);

    public Task<JsonObject?> ClaimAsync(string serverName, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> oneTimeKeys, CancellationToken cancellationToken) =>
        AskAsync(serverName, "/_matrix/federation/v1/user/keys/claim", new JsonObject
        {
            ["one_time_keys"] = new JsonObject([.. oneTimeKeys.Select(u => KeyValuePair.Create(
                u.Key, (JsonNode?)new JsonObject([.. u.Value.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))])))]),
        }, cancellationToken);

    private async Task<JsonObject?> AskAsync(string serverName, string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await federation.SendAsync(HttpMethod.Post, serverName, path, body, timeout.Token) as JsonObject;
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
