using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;
using static Homeserver.Tests.Federation.FederationTests;

namespace Homeserver.Tests.Federation;

/// <summary><c>GET /_matrix/federation/v1/timestamp_to_event</c>, for servers in the room only.</summary>
public sealed class FederationTimestampTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    [Fact]
    public async Task A_server_in_the_room_finds_the_event_closest_to_a_time_and_others_are_refused()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var shared = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        var notShared = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        await JoinAsync(b, bobToken, shared, a);
        var message = await RoomTests.SendTextAsync(a, aliceToken, shared, "a moment");
        var ts = await RoomTests.OriginServerTsAsync(a, aliceToken, shared, message);

        var found = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/timestamp_to_event/{shared}?ts={ts}&dir=b");
        var refused = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/timestamp_to_event/{notShared}?ts={ts}&dir=b");
        var malformed = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/timestamp_to_event/{shared}?ts={ts}&dir=up");

        Assert.Equal(200, found.Status);
        Assert.Equal((message, ts), ((string?)found.Body!["event_id"], (long)found.Body["origin_server_ts"]!));
        Assert.Equal((403, "M_FORBIDDEN"), (refused.Status, (string?)refused.Body?["errcode"]));
        Assert.Equal((400, "M_INVALID_PARAM"), (malformed.Status, (string?)malformed.Body?["errcode"]));
    }
}
