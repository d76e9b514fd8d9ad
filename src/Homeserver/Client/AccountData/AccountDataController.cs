using System.Text.Json.Nodes;
using Homeserver.Core.AccountData;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.AccountData;

/// <summary><c>GET|PUT /_matrix/client/v3/user/{userId}/account_data/{type}</c> (client-server API, "Client Config").</summary>
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
}
