using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;
using static Homeserver.Tests.Federation.FederationTests;

namespace Homeserver.Tests.Federation;

/// <summary>Restricted joins across servers: the resident server names its authorising member and signs the join.</summary>
public sealed class FederationRestrictedJoinTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    [Fact]
    public async Task A_member_of_the_allowed_room_on_another_server_joins_and_the_resident_server_vouches_for_it()
    {
        var (a, b) = (servers.A, servers.B);
        var (alice, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var (_, carolToken) = await b.CreateUserAsync(RoomTests.Name("carol"));
        var space = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat","creation_content":{"type":"m.space"} }""");
        var restricted = await RoomTests.CreateRoomAsync(a, aliceToken, RestrictedJoinTests.RestrictedTo(space));
        var elsewhere = await RoomTests.CreateRoomAsync(b, bobToken, """{"preset":"public_chat"}""");
        var unknowable = await RoomTests.CreateRoomAsync(a, aliceToken, RestrictedJoinTests.RestrictedTo(elsewhere));
        await JoinAsync(b, bobToken, space, a);
        await JoinAsync(b, carolToken, elsewhere, b);

        await JoinAsync(b, bobToken, restricted, a);
        var join = await a.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{restricted}/state/m.room.member/{Uri.EscapeDataString(bob)}", accessToken: aliceToken);
        var outsider = await b.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{restricted}?server_name={Uri.EscapeDataString(a.ServerName)}", "{}", carolToken);
        var cannotTell = await SignedRequests.SendAsync(b, a, HttpMethod.Get,
            $"/_matrix/federation/v1/make_join/{unknowable}/{Uri.EscapeDataString(bob)}?ver=10");

        Assert.Equal(("join", alice), ((string?)join.Body!["membership"], (string?)join.Body["join_authorised_via_users_server"]));
        Assert.Equal(403, (int)outsider.Response.StatusCode);
        Assert.Equal((400, "M_UNABLE_TO_AUTHORISE_JOIN"), (cannotTell.Status, (string?)cannotTell.Body?["errcode"]));
    }
}
