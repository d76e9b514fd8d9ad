using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>Push rules (client-server API, "Push Rules: API").</summary>
public sealed class PushRulesTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task The_default_ruleset_is_served_in_the_specs_order_with_the_users_id(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("abe" + provider.ToString().ToLowerInvariant());

        var (response, body) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/pushrules/", accessToken: token);
        var global = body!["global"]!;
        var overrideIds = global["override"]!.AsArray().Select(r => (string)r!["rule_id"]!).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([".m.rule.master", ".m.rule.suppress_notices", ".m.rule.invite_for_me", ".m.rule.member_event", ".m.rule.is_user_mention",
            ".m.rule.is_room_mention", ".m.rule.tombstone", ".m.rule.reaction", ".m.rule.room.server_acl", ".m.rule.suppress_edits"], overrideIds);
        Assert.Equal([".m.rule.call", ".m.rule.encrypted_room_one_to_one", ".m.rule.room_one_to_one", ".m.rule.message", ".m.rule.encrypted"],
            global["underride"]!.AsArray().Select(r => (string)r!["rule_id"]!));
        Assert.Empty(global["content"]!.AsArray());
        Assert.Equal(user, (string?)global["override"]![2]!["conditions"]![2]!["pattern"]);
        Assert.Equal(user, (string?)global["override"]![4]!["conditions"]![0]!["value"]);
        Assert.False((bool)global["override"]![0]!["enabled"]!);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Defaults_can_be_switched_and_given_new_actions_and_user_rules_are_ordered(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("bea" + provider.ToString().ToLowerInvariant());
        const string Rules = "/_matrix/client/v3/pushrules/global";

        await server.SendAsync(HttpMethod.Put, $"{Rules}/override/.m.rule.master/enabled", """{"enabled":true}""", token);
        await server.SendAsync(HttpMethod.Put, $"{Rules}/underride/.m.rule.message/actions", """{"actions":[]}""", token);
        await server.SendAsync(HttpMethod.Put, $"{Rules}/content/second", """{"actions":["notify"],"pattern":"cake"}""", token);
        await server.SendAsync(HttpMethod.Put, $"{Rules}/content/first", """{"actions":["notify"],"pattern":"pie"}""", token);
        await server.SendAsync(HttpMethod.Put, $"{Rules}/content/last?after=second", """{"actions":[],"pattern":"tea"}""", token);
        await server.SendAsync(HttpMethod.Put, $"{Rules}/override/mine", """{"actions":["notify"],"conditions":[{"kind":"event_match","key":"type","pattern":"org.example"}]}""", token);

        var (_, master) = await server.SendAsync(HttpMethod.Get, $"{Rules}/override/.m.rule.master/enabled", accessToken: token);
        var (_, message) = await server.SendAsync(HttpMethod.Get, $"{Rules}/underride/.m.rule.message/actions", accessToken: token);
        var (_, all) = await server.SendAsync(HttpMethod.Get, $"{Rules}/", accessToken: token);
        await server.SendAsync(HttpMethod.Delete, $"{Rules}/content/first", accessToken: token);
        var (deleted, _) = await server.SendAsync(HttpMethod.Get, $"{Rules}/content/first", accessToken: token);

        Assert.True((bool)master!["enabled"]!);
        Assert.Empty(message!["actions"]!.AsArray());
        Assert.Equal(["first", "second", "last"], all!["content"]!.AsArray().Select(r => (string)r!["rule_id"]!));
        Assert.Equal([".m.rule.master", "mine", ".m.rule.suppress_notices"], all["override"]!.AsArray().Take(3).Select(r => (string)r!["rule_id"]!));
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_push_rule_requests_get_the_spec_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("cy" + provider.ToString().ToLowerInvariant());
        const string Rules = "/_matrix/client/v3/pushrules/global";

        async Task<(HttpStatusCode, string?)> Send(HttpMethod method, string path, string? body = null)
        {
            var (response, json) = await server.SendAsync(method, path, body, token);
            return (response.StatusCode, (string?)json?["errcode"]);
        }

        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Send(HttpMethod.Get, $"{Rules}/override/nope"));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Send(HttpMethod.Get, $"{Rules}/sideways/x"));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Send(HttpMethod.Put, $"{Rules}/override/.m.rule.custom", """{"actions":[]}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Send(HttpMethod.Delete, $"{Rules}/override/.m.rule.master"));
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), await Send(HttpMethod.Put, $"{Rules}/override/x", """{"actions":"notify"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_MISSING_PARAM"), await Send(HttpMethod.Put, $"{Rules}/content/x", """{"actions":[]}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_UNKNOWN"), await Send(HttpMethod.Put, $"{Rules}/content/x?before=ghost", """{"actions":[],"pattern":"p"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), await Send(HttpMethod.Put, $"{Rules}/override/.m.rule.master/enabled", """{"enabled":"yes"}"""));
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Send(HttpMethod.Put, $"{Rules}/override/ghost/enabled", """{"enabled":true}"""));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "M_BAD_JSON"), await Send(HttpMethod.Put, $"/_matrix/client/v3/user/{user}/account_data/homeserver.push_rule_changes", "{}"));
    }
}
