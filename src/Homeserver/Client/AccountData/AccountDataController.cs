using System.Text.Json.Nodes;
using Homeserver.Core.AccountData;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.AccountData;

/// <summary>
/// <c>GET|PUT /_matrix/client/v3/user/{userId}/account_data/{type}</c>, the per-room
/// <c>/user/{userId}/rooms/{roomId}/account_data/{type}</c> (client-server API, "Client Config") and
/// <c>/user/{userId}/rooms/{roomId}/tags</c> (client-server API, "Room Tagging").
/// </summary>
[Authorize]
public sealed class AccountDataController(AccountDataService accountData) : ClientApiController
{
    [HttpPut("_matrix/client/v3/user/{userId}/account_data/{type}")]
    public async Task<EmptyResponse> SetAsync(string userId, string type, [FromBody] JsonObject content, CancellationToken cancellationToken)
    {
        await accountData.SetGlobalAsync(HttpContext.GetSession(), userId, type, content, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpGet("_matrix/client/v3/user/{userId}/account_data/{type}")]
    public Task<JsonObject> GetAsync(string userId, string type, CancellationToken cancellationToken) =>
        accountData.GetGlobalAsync(HttpContext.GetSession(), userId, type, cancellationToken);

    [HttpPut("_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}")]
    public async Task<EmptyResponse> SetRoomAsync(string userId, string roomId, string type, [FromBody] JsonObject content, CancellationToken cancellationToken)
    {
        await accountData.SetRoomAsync(HttpContext.GetSession(), userId, roomId, type, content, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpGet("_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}")]
    public Task<JsonObject> GetRoomAsync(string userId, string roomId, string type, CancellationToken cancellationToken) =>
        accountData.GetRoomAsync(HttpContext.GetSession(), userId, roomId, type, cancellationToken);

    [HttpGet("_matrix/client/v3/user/{userId}/rooms/{roomId}/tags")]
    public Task<JsonObject> GetTagsAsync(string userId, string roomId, CancellationToken cancellationToken) =>
        accountData.GetTagsAsync(HttpContext.GetSession(), userId, roomId, cancellationToken);

    [HttpPut("_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}")]
    public async Task<EmptyResponse> PutTagAsync(string userId, string roomId, string tag, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await accountData.PutTagAsync(HttpContext.GetSession(), userId, roomId, tag, body, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpDelete("_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}")]
    public async Task<EmptyResponse> DeleteTagAsync(string userId, string roomId, string tag, CancellationToken cancellationToken)
    {
        await accountData.DeleteTagAsync(HttpContext.GetSession(), userId, roomId, tag, cancellationToken);
        return EmptyResponse.Instance;
    }
}
