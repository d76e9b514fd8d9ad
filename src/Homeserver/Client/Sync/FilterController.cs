using Homeserver.Core.Sync.Filters;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Sync;

/// <summary>
/// <c>POST /_matrix/client/v3/user/{userId}/filter</c> and <c>GET /_matrix/client/v3/user/{userId}/filter/{filterId}</c>
/// (client-server API, "Filtering").
/// </summary>
[Authorize]
public sealed class FilterController(FilterService filters) : ClientApiController
{
    [HttpPost("_matrix/client/v3/user/{userId}/filter")]
    public async Task<FilterCreatedResponse> CreateAsync(string userId, [FromBody] SyncFilter filter, CancellationToken cancellationToken) =>
        new(await filters.CreateAsync(HttpContext.GetSession(), userId, filter, cancellationToken));

    [HttpGet("_matrix/client/v3/user/{userId}/filter/{filterId}")]
    public Task<SyncFilter> GetAsync(string userId, string filterId, CancellationToken cancellationToken) =>
        filters.GetAsync(HttpContext.GetSession(), userId, filterId, cancellationToken);
}
