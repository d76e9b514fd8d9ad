using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using static Homeserver.Tests.Rooms.RoomTests;

namespace Homeserver.Tests.Rooms;

/// <summary>Rooms with the <c>restricted</c> join rule: members of an allowed room join, authorised by a member who may invite.</summary>
public sealed class RestrictedJoinTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Members_of_an_allowed_room_join_on_the_word_of_a_member_who_may_invite_and_others_are_refused(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (alice, aliceToken) = await server.CreateUserAsync(Name("ralice"));
        var (bob, bobToken) = await server.CreateUserAsync(Name("rbob"));
        var space = await CreateRoomAsync(server, aliceToken, """{"preset":"public_chat","creation_content":{"type":"m.space"} }""");
        var restricted = await CreateRoomAsync(server, aliceToken, RestrictedTo(space));

        var (outsider, _) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{restricted}", "{}", bobToken);
        Assert.True((await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{space}", "{}", bobToken)).Response.IsSuccessStatusCode);
        var (member, memberBody) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{restricted}", "{}", bobToken);
        var (_, join) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{restricted}/state/m.room.member/{Uri.EscapeDataString(bob)}", accessToken: aliceToken);

        Assert.Equal(HttpStatusCode.Forbidden, outsider.StatusCode);
        Assert.True(member.IsSuccessStatusCode, memberBody?.ToJsonString());
        Assert.Equal(("join", alice), ((string?)join!["membership"], (string?)join["join_authorised_via_users_server"]));
    }

    internal static string RestrictedTo(string allowedRoomId) => $$"""
        {"preset":"private_chat","room_version":"10","initial_state":[{"type":"m.room.join_rules","state_key":"",
         "content":{"join_rule":"restricted","allow":[{"type":"m.room_membership","room_id":"{{allowedRoomId}}"}]} }]}
        """;
}
