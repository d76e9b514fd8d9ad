using System.Text.Json.Nodes;
using Homeserver.Client.Keys;
using Homeserver.Core.Keys;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Encryption;

/// <summary>
/// <c>POST /_matrix/federation/v1/user/keys/query</c> and <c>/user/keys/claim</c> (server-server API, "End-to-End
/// Encryption"): the client-server requests' bodies, answered for this server's users.
/// </summary>
public sealed class UserKeysController(KeysService keys) : FederationApiController
{
    [HttpPost("_matrix/federation/v1/user/keys/query")]
    public Task<JsonObject> QueryAsync([FromBody] KeysQueryRequest request, CancellationToken cancellationToken) =>
        keys.QueryForServerAsync(request.Devices(), cancellationToken);

    [HttpPost("_matrix/federation/v1/user/keys/claim")]
    public Task<JsonObject> ClaimAsync([FromBody] KeysClaimRequest request, CancellationToken cancellationToken) =>
        keys.ClaimForServerAsync(request.Claims(), cancellationToken);
}
