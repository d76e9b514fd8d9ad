using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;
using static Homeserver.Tests.Spaces.SpaceHierarchyTests;

namespace Homeserver.Tests.Federation;

/// <summary>A space of another server, walked through that server's <c>/hierarchy</c>.</summary>
public sealed class FederationSpaceTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    [Fact]
    public async Task A_client_walks_a_space_on_another_server_and_sees_only_what_its_server_may()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var space = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat","name":"Far space","creation_content":{"type":"m.space"} }""");
        var open = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat","name":"Far room"}""");
        var closed = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"private_chat","name":"Closed"}""");
        await AddChildAsync(a, aliceToken, space, open, "");
        await AddChildAsync(a, aliceToken, space, closed, "");

        var walked = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v1/rooms/{space}/hierarchy", accessToken: bobToken);
        var direct = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/hierarchy/{space}");
        var hidden = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/hierarchy/{closed}");
        using var unsigned = await a.Federation.GetAsync($"/_matrix/federation/v1/hierarchy/{space}");

        Assert.True(walked.Response.IsSuccessStatusCode, walked.Body?.ToJsonString());
        Assert.Equal([space, open], walked.Body!["rooms"]!.AsArray().Select(r => (string)r!["room_id"]!));
        Assert.Equal("Far room", (string?)walked.Body["rooms"]![1]!["name"]);
        Assert.Equal(200, direct.Status);
        Assert.Equal([closed], direct.Body!["inaccessible_children"]!.AsArray().Select(r => (string)r!));
        Assert.Equal((404, "M_NOT_FOUND"), (hidden.Status, (string?)hidden.Body?["errcode"]));
        Assert.Equal(401, (int)unsigned.StatusCode);
    }
}
