using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Server;
using Homeserver.Federation.Keys;
using Homeserver.Protocol.Identifiers;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Keys;

/// <summary>
/// This server's keys and the notary service (server-server API, "Publishing Keys" and "Querying Keys Through
/// Another Server"). No authentication: a server fetches these before it can check any.
/// </summary>
[AllowUnsignedRequests]
public sealed class ServerKeysController(ServerKeyRing keyRing, ServerIdentity server, SigningKey key) : FederationApiController
{
    private const int MaxServersPerQuery = 100;

    [HttpGet("_matrix/key/v2/server")]
    public JsonObject GetOwn() => keyRing.OwnDocument();

    [HttpGet("_matrix/key/v2/query/{serverName}")]
    public async Task<JsonObject> QueryOneAsync(string serverName, [FromQuery(Name = "minimum_valid_until_ts")] long? minimumValidUntilTs, CancellationToken cancellationToken) =>
        Answer([await DocumentAsync(serverName, minimumValidUntilTs ?? 0, cancellationToken)]);

    [HttpPost("_matrix/key/v2/query")]
    public async Task<JsonObject> QueryAsync([FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        if (body["server_keys"] is not JsonObject wanted)
        {
            throw MatrixException.BadJson("server_keys must be an object");
        }

        if (wanted.Count > MaxServersPerQuery)
        {
            throw MatrixException.TooLarge($"At most {MaxServersPerQuery} servers per query");
        }

        var documents = await Task.WhenAll(wanted.Select(w => DocumentAsync(w.Key, MinimumValidUntil(w.Value), cancellationToken)));
        return Answer(documents);
    }

    private async Task<JsonObject?> DocumentAsync(string serverName, long minimumValidUntilTs, CancellationToken cancellationToken)
    {
        if (!ServerName.TryParse(serverName, out _))
        {
            return null;
        }

        var document = await keyRing.GetDocumentAsync(serverName, minimumValidUntilTs, cancellationToken);
        if (document is not null && serverName != server.ServerName)
        {
            JsonSigning.Sign(document, server.ServerName, key);
        }

        return document;
    }

    /// <summary>The highest <c>minimum_valid_until_ts</c> asked for any of the server's keys.</summary>
    private static long MinimumValidUntil(JsonNode? criteria) =>
        criteria is JsonObject keys
            ? keys.Select(k => JsonInteger.TryRead(k.Value?["minimum_valid_until_ts"], out var ts) ? ts : 0).DefaultIfEmpty(0).Max()
            : 0;

    private static JsonObject Answer(IEnumerable<JsonObject?> documents) =>
        new() { ["server_keys"] = new JsonArray([.. documents.OfType<JsonObject>()]) };
}
