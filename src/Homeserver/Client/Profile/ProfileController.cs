using System.Text.Json.Nodes;
using Homeserver.Core.Profile;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Profile;

/// <summary>
/// <c>GET /_matrix/client/v3/profile/{userId}</c> and <c>GET|PUT|DELETE /_matrix/client/v3/profile/{userId}/{keyName}</c>
/// (client-server API, "Profiles").
/// </summary>
public sealed class ProfileController(ProfileService profiles) : ClientApiController
{
    [HttpGet("_matrix/client/v3/profile/{userId}")]
    public Task<JsonObject> GetAsync(string userId, CancellationToken cancellationToken) => profiles.GetAsync(userId, cancellationToken);

    [HttpGet("_matrix/client/v3/profile/{userId}/{keyName}")]
    public Task<JsonObject> GetFieldAsync(string userId, string keyName, CancellationToken cancellationToken) =>
        profiles.GetFieldAsync(userId, keyName, cancellationToken);

    [Authorize]
    [HttpPut("_matrix/client/v3/profile/{userId}/{keyName}")]
    public async Task<EmptyResponse> SetFieldAsync(string userId, string keyName, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await profiles.SetFieldAsync(HttpContext.GetSession(), userId, keyName, body, cancellationToken);
        return EmptyResponse.Instance;
    }

    [Authorize]
    [HttpDelete("_matrix/client/v3/profile/{userId}/{keyName}")]
    public async Task<EmptyResponse> DeleteFieldAsync(string userId, string keyName, CancellationToken cancellationToken)
    {
        await profiles.DeleteFieldAsync(HttpContext.GetSession(), userId, keyName, cancellationToken);
        return EmptyResponse.Instance;
    }
}
