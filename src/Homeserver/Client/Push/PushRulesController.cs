using System.Text.Json.Nodes;
using Homeserver.Core.Push;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Push;

/// <summary>
/// <c>/_matrix/client/v3/pushrules/</c>, <c>…/global/</c> and <c>…/global/{kind}/{ruleId}</c> with its
/// <c>enabled</c> and <c>actions</c> (client-server API, "Push Rules: API").
/// </summary>
[Authorize]
public sealed class PushRulesController(PushRulesService pushRules) : ClientApiController
{
    // Routing ignores the trailing slash the spec writes, so this serves /pushrules/ as well.
    [HttpGet("_matrix/client/v3/pushrules")]
    public Task<JsonObject> GetAllAsync(CancellationToken cancellationToken) =>
        pushRules.GetRulesetAsync(HttpContext.GetSession(), cancellationToken);

    [HttpGet("_matrix/client/v3/pushrules/global/")]
    public async Task<JsonNode> GetGlobalAsync(CancellationToken cancellationToken) =>
        (await pushRules.GetRulesetAsync(HttpContext.GetSession(), cancellationToken))["global"]!.DeepClone();

    [HttpGet("_matrix/client/v3/pushrules/global/{kind}/{ruleId}")]
    public Task<JsonObject> GetRuleAsync(string kind, string ruleId, CancellationToken cancellationToken) =>
        pushRules.GetRuleAsync(HttpContext.GetSession(), kind, ruleId, cancellationToken);

    [HttpPut("_matrix/client/v3/pushrules/global/{kind}/{ruleId}")]
    public async Task<EmptyResponse> PutRuleAsync(string kind, string ruleId, [FromBody] JsonObject body, [FromQuery] string? before, [FromQuery] string? after, CancellationToken cancellationToken)
    {
        await pushRules.SetRuleAsync(HttpContext.GetSession(), kind, ruleId, body, before, after, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpDelete("_matrix/client/v3/pushrules/global/{kind}/{ruleId}")]
    public async Task<EmptyResponse> DeleteRuleAsync(string kind, string ruleId, CancellationToken cancellationToken)
    {
        await pushRules.DeleteRuleAsync(HttpContext.GetSession(), kind, ruleId, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpGet("_matrix/client/v3/pushrules/global/{kind}/{ruleId}/{attribute:regex(^(enabled|actions)$)}")]
    public async Task<JsonObject> GetAttributeAsync(string kind, string ruleId, string attribute, CancellationToken cancellationToken)
    {
        var rule = await pushRules.GetRuleAsync(HttpContext.GetSession(), kind, ruleId, cancellationToken);
        return new JsonObject { [attribute] = rule[attribute]?.DeepClone() };
    }

    [HttpPut("_matrix/client/v3/pushrules/global/{kind}/{ruleId}/{attribute:regex(^(enabled|actions)$)}")]
    public async Task<EmptyResponse> SetAttributeAsync(string kind, string ruleId, string attribute, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await pushRules.SetAttributeAsync(HttpContext.GetSession(), kind, ruleId, attribute, body[attribute], cancellationToken);
        return EmptyResponse.Instance;
    }
}
