using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using static Homeserver.Tests.Rooms.RoomTests;

namespace Homeserver.Tests.RoomDirectory;

/// <summary>The published room directory: <c>/publicRooms</c> and <c>/directory/list/room/{roomId}</c>.</summary>
public sealed class PublicRoomsTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Published_rooms_are_listed_largest_first_searched_and_paged_and_unlisted_by_whoever_may_set_the_alias(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, alice) = await server.CreateUserAsync(Name("diralice"));
        var (_, bob) = await server.CreateUserAsync(Name("dirbob"));
        var word = Name("zebra");
        var alias = Name("zoo");
        var big = await CreateRoomAsync(server, alice,
            $$"""{"preset":"public_chat","visibility":"public","name":"The {{word}} room","topic":"Stripes","room_alias_name":"{{alias}}"}""");
        var small = await CreateRoomAsync(server, alice, $$"""{"preset":"public_chat","visibility":"public","topic":"All about {{word}}s"}""");
        var hidden = await CreateRoomAsync(server, alice, $$"""{"preset":"public_chat","name":"Hidden {{word}}"}""");
        Assert.True((await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{big}", "{}", bob)).Response.IsSuccessStatusCode);

        var (_, everything) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/publicRooms");
        var search = $$"""{"filter":{"generic_search_term":"{{word.ToUpperInvariant()}}"},"limit":1}""";
        var (_, first) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/publicRooms", search, alice);
        var (_, second) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/publicRooms",
            $$"""{"filter":{"generic_search_term":"{{word}}"},"limit":1,"since":"{{(string)first!["next_batch"]!}}"}""", alice);
        var (byMember, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/directory/list/room/{big}", """{"visibility":"private"}""", bob);
        var (byCreator, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/directory/list/room/{big}", """{"visibility":"private"}""", alice);
        var (_, visibility) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/directory/list/room/{big}");
        var (_, afterwards) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/publicRooms", $$"""{"filter":{"generic_search_term":"{{word}}"} }""", alice);

        var listed = everything!["chunk"]!.AsArray().Select(r => (string)r!["room_id"]!).ToList();
        Assert.Contains(big, listed);
        Assert.Contains(small, listed);
        Assert.DoesNotContain(hidden, listed);
        var entry = first!["chunk"]!.AsArray().Single()!;
        Assert.Equal(big, (string?)entry["room_id"]);
        Assert.Equal(2, (int)entry["num_joined_members"]!);
        Assert.Equal(($"The {word} room", "Stripes", $"#{alias}:localhost", "public"),
            ((string?)entry["name"], (string?)entry["topic"], (string?)entry["canonical_alias"], (string?)entry["join_rule"]));
        Assert.False((bool)entry["world_readable"]!);
        Assert.False((bool)entry["guest_can_join"]!);
        Assert.Equal(2, (int)first["total_room_count_estimate"]!);
        Assert.Null(first["prev_batch"]);
        Assert.Equal(small, (string?)second!["chunk"]!.AsArray().Single()!["room_id"]);
        Assert.Null(second["next_batch"]);
        Assert.NotNull(second["prev_batch"]);
        Assert.Equal(HttpStatusCode.Forbidden, byMember.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byCreator.StatusCode);
        Assert.Equal("private", (string?)visibility!["visibility"]);
        Assert.Equal([small], afterwards!["chunk"]!.AsArray().Select(r => (string)r!["room_id"]!));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Room_types_filter_spaces_from_rooms(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("dirspace"));
        var word = Name("galaxy");
        var space = await CreateRoomAsync(server, token, $$"""{"preset":"public_chat","visibility":"public","name":"{{word}} space","creation_content":{"type":"m.space"} }""");
        var room = await CreateRoomAsync(server, token, $$"""{"preset":"public_chat","visibility":"public","name":"{{word}} room"}""");

        async Task<List<string>> ListAsync(string roomTypes)
        {
            var (_, answer) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/publicRooms",
                $$"""{"filter":{"generic_search_term":"{{word}}","room_types":{{roomTypes}} } }""", token);
            return [.. answer!["chunk"]!.AsArray().Select(r => (string)r!["room_id"]!)];
        }

        Assert.Equal([space], await ListAsync("""["m.space"]"""));
        Assert.Equal([room], await ListAsync("[null]"));
        Assert.Equal(2, (await ListAsync("""[null,"m.space"]""")).Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_directory_requests_get_the_specs_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("dirbad"));
        var roomId = await CreateRoomAsync(server, token, "{}");

        await AssertErrorAsync(HttpStatusCode.BadRequest, "M_INVALID_PARAM", server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/publicRooms?limit=many"));
        await AssertErrorAsync(HttpStatusCode.BadRequest, "M_INVALID_PARAM", server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/publicRooms?since=yesterday"));
        await AssertErrorAsync(HttpStatusCode.BadRequest, "M_INVALID_PARAM", server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/publicRooms?server=not%20a%20server"));
        await AssertErrorAsync(HttpStatusCode.BadRequest, "M_BAD_JSON", server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/publicRooms", """{"filter":"x"}""", token));
        await AssertErrorAsync(HttpStatusCode.BadRequest, "M_BAD_JSON", server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/publicRooms", """{"limit":-1}""", token));
        await AssertErrorAsync(HttpStatusCode.Unauthorized, "M_MISSING_TOKEN", server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/publicRooms", "{}"));
        await AssertErrorAsync(HttpStatusCode.BadRequest, "M_INVALID_PARAM",
            server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/directory/list/room/{roomId}", """{"visibility":"secret"}""", token));
        await AssertErrorAsync(HttpStatusCode.NotFound, "M_NOT_FOUND", server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/directory/list/room/!nowhere:localhost"));
        await AssertErrorAsync(HttpStatusCode.BadRequest, "M_INVALID_PARAM", server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/directory/list/room/not-a-room"));
    }

    private static async Task AssertErrorAsync(HttpStatusCode status, string errcode, Task<(HttpResponseMessage Response, JsonObject? Body)> request)
    {
        var (response, body) = await request;
        Assert.Equal((status, errcode), (response.StatusCode, (string?)body?["errcode"]));
    }
}
