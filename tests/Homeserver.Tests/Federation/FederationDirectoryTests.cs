using System.Text.Json.Nodes;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;

namespace Homeserver.Tests.Federation;

/// <summary>Another server's published room directory, read by a local client through this server.</summary>
public sealed class FederationDirectoryTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    [Fact]
    public async Task A_client_lists_and_searches_the_directory_of_another_server()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("diralice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("dirbob"));
        var word = RoomTests.Name("nebula");
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, $$"""{"preset":"public_chat","visibility":"public","name":"{{word}}"}""");
        await RoomTests.CreateRoomAsync(a, aliceToken, $$"""{"preset":"public_chat","name":"{{word}} unlisted"}""");

        var (_, listed) = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/publicRooms?server={Uri.EscapeDataString(a.ServerName)}&limit=100");
        var (_, searched) = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/publicRooms?server={Uri.EscapeDataString(a.ServerName)}",
            $$"""{"filter":{"generic_search_term":"{{word}}"} }""", bobToken);
        var (_, own) = await b.SendAsync(HttpMethod.Post, "/_matrix/client/v3/publicRooms", $$"""{"filter":{"generic_search_term":"{{word}}"} }""", bobToken);
        var (unreachable, unreachableBody) = await b.SendAsync(HttpMethod.Get, "/_matrix/client/v3/publicRooms?server=127.0.0.1:1");
        using var unsigned = await a.Federation.GetAsync("/_matrix/federation/v1/publicRooms");

        Assert.Contains(roomId, listed!["chunk"]!.AsArray().Select(r => (string)r!["room_id"]!));
        var entry = searched!["chunk"]!.AsArray().Single()!;
        Assert.Equal((roomId, word, 1), ((string?)entry["room_id"], (string?)entry["name"], (int)entry["num_joined_members"]!));
        Assert.Empty(own!["chunk"]!.AsArray());
        Assert.Equal((502, "M_UNKNOWN"), ((int)unreachable.StatusCode, (string?)unreachableBody?["errcode"]));
        Assert.Equal(401, (int)unsigned.StatusCode);
    }
}
