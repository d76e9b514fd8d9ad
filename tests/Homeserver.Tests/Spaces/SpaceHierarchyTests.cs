using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using static Homeserver.Tests.Rooms.RoomTests;

namespace Homeserver.Tests.Spaces;

/// <summary><c>/rooms/{roomId}/hierarchy</c>: the rooms below a space, depth first, as the user may see them.</summary>
public sealed class SpaceHierarchyTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task The_hierarchy_is_walked_depth_first_in_the_specs_order_and_hides_what_the_user_may_not_see(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, alice) = await server.CreateUserAsync(Name("spacealice"));
        var (_, bob) = await server.CreateUserAsync(Name("spacebob"));
        var space = await CreateRoomAsync(server, alice, """{"preset":"public_chat","name":"Space","creation_content":{"type":"m.space"} }""");
        var open = await CreateRoomAsync(server, alice, """{"preset":"public_chat","name":"Open"}""");
        var closed = await CreateRoomAsync(server, alice, """{"preset":"private_chat","name":"Closed"}""");
        var subspace = await CreateRoomAsync(server, alice, """{"preset":"public_chat","name":"Subspace","creation_content":{"type":"m.space"} }""");
        var deep = await CreateRoomAsync(server, alice, """{"preset":"public_chat","name":"Deep"}""");
        var restricted = await CreateRoomAsync(server, alice, $$"""
            {"preset":"private_chat","name":"Members of the subspace","initial_state":[{"type":"m.room.join_rules","state_key":"",
             "content":{"join_rule":"restricted","allow":[{"type":"m.room_membership","room_id":"{{subspace}}"}]} }]}
            """);
        await AddChildAsync(server, alice, space, open, """ "order":"b" """);
        await AddChildAsync(server, alice, space, closed, """ "order":"a" """);
        await AddChildAsync(server, alice, space, subspace, """ "suggested":true """);
        await AddChildAsync(server, alice, subspace, deep, "");
        await AddChildAsync(server, alice, subspace, restricted, "");

        var forAlice = await RoomsAsync(server, alice, space, "");
        var forBob = await RoomsAsync(server, bob, space, "");
        Assert.True((await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{subspace}", "{}", bob)).Response.IsSuccessStatusCode);
        var forBobInSubspace = await RoomsAsync(server, bob, space, "");
        var shallow = await RoomsAsync(server, alice, space, "max_depth=0");
        var suggested = await RoomsAsync(server, alice, space, "suggested_only=true");
        var (_, firstPage) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v1/rooms/{space}/hierarchy?limit=2", accessToken: alice);
        var (_, secondPage) = await server.SendAsync(HttpMethod.Get,
            $"/_matrix/client/v1/rooms/{space}/hierarchy?limit=2&from={(string)firstPage!["next_batch"]!}", accessToken: alice);

        Assert.Equal([space, closed, open, subspace, deep, restricted], forAlice.Select(r => (string)r["room_id"]!));
        Assert.Equal([space, open, subspace, deep], forBob.Select(r => (string)r["room_id"]!));
        Assert.Equal([space, open, subspace, deep, restricted], forBobInSubspace.Select(r => (string)r["room_id"]!));
        Assert.Equal([space], shallow.Select(r => (string)r["room_id"]!));
        Assert.Equal([space, subspace], suggested.Select(r => (string)r["room_id"]!));
        var root = forAlice[0];
        Assert.Equal(("Space", "m.space", "public"), ((string?)root["name"], (string?)root["room_type"], (string?)root["join_rule"]));
        Assert.Equal(3, root["children_state"]!.AsArray().Count);
        Assert.All(root["children_state"]!.AsArray(), e => Assert.Equal("m.space.child", (string?)e!["type"]));
        Assert.Equal([space, closed], firstPage["rooms"]!.AsArray().Select(r => (string)r!["room_id"]!));
        Assert.Equal([open, subspace], secondPage!["rooms"]!.AsArray().Select(r => (string)r!["room_id"]!));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_hierarchy_requests_get_the_specs_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, alice) = await server.CreateUserAsync(Name("spacebad"));
        var (_, bob) = await server.CreateUserAsync(Name("spacestranger"));
        var privateSpace = await CreateRoomAsync(server, alice, """{"preset":"private_chat","creation_content":{"type":"m.space"} }""");

        async Task<(HttpStatusCode, string?)> AskAsync(string path, string? token)
        {
            var (response, body) = await server.SendAsync(HttpMethod.Get, path, accessToken: token);
            return (response.StatusCode, (string?)body?["errcode"]);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await AskAsync($"/_matrix/client/v1/rooms/{privateSpace}/hierarchy?limit=0", alice));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await AskAsync($"/_matrix/client/v1/rooms/{privateSpace}/hierarchy?max_depth=-1", alice));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await AskAsync($"/_matrix/client/v1/rooms/{privateSpace}/hierarchy?from=somewhere", alice));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await AskAsync($"/_matrix/client/v1/rooms/{privateSpace}/hierarchy?suggested_only=maybe", alice));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await AskAsync("/_matrix/client/v1/rooms/not-a-room/hierarchy", alice));
        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), await AskAsync($"/_matrix/client/v1/rooms/{privateSpace}/hierarchy", bob));
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await AskAsync("/_matrix/client/v1/rooms/!nowhere:localhost/hierarchy", alice));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_MISSING_TOKEN"), await AskAsync($"/_matrix/client/v1/rooms/{privateSpace}/hierarchy", null));
    }

    internal static async Task AddChildAsync(TestHomeserver server, string token, string parent, string child, string extra)
    {
        var via = server.ServerName;
        var content = $$"""{"via":["{{via}}"]{{(extra.Length > 0 ? "," + extra : "")}} }""";
        var (response, body) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{parent}/state/m.space.child/{Uri.EscapeDataString(child)}", content, token);
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
    }

    private static async Task<List<JsonObject>> RoomsAsync(TestHomeserver server, string token, string space, string query)
    {
        var (response, body) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v1/rooms/{space}/hierarchy?{query}", accessToken: token);
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        return [.. body!["rooms"]!.AsArray().Select(r => r!.AsObject())];
    }
}
