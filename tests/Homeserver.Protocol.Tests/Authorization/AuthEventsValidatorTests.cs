using System.Text.Json.Nodes;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;

namespace Homeserver.Protocol.Tests.Authorization;

public sealed class AuthEventsValidatorTests
{
    private const string Creator = "@creator:a.example";

    [Theory]
    [InlineData("11")]
    [InlineData("12")]
    public void The_selected_auth_events_pass(string version)
    {
        var room = new TestRoom(version);
        var message = room.Event("m.room.message", Creator, []);

        Assert.True(AuthEventsValidator.Validate(room.Rules, message, Selected(room)).IsAllowed);
    }

    [Fact]
    public void Duplicates_extras_and_a_missing_create_are_refused_before_version_12()
    {
        var room = new TestRoom("11");
        var message = room.Event("m.room.message", Creator, []);
        var member = room.StateOf(EventTypes.Member, Creator);
        var joinRules = room.JoinRule("public").StateOf(EventTypes.JoinRules, "");

        Assert.False(AuthEventsValidator.Validate(room.Rules, message, [room.Create, member, member]).IsAllowed);
        Assert.False(AuthEventsValidator.Validate(room.Rules, message, [room.Create, member, joinRules]).IsAllowed);
        Assert.False(AuthEventsValidator.Validate(room.Rules, message, [member]).IsAllowed);
    }

    [Fact]
    public void Version_12_refuses_the_create_event_in_auth_events()
    {
        var room = new TestRoom("12");
        var message = room.Event("m.room.message", Creator, []);

        Assert.False(AuthEventsValidator.Validate(room.Rules, message, [room.Create, room.StateOf(EventTypes.Member, Creator)]).IsAllowed);
    }

    [Fact]
    public void Selection_picks_what_a_membership_change_depends_on()
    {
        var rules = RoomVersions.RoomVersions.V10;
        var content = new JsonObject
        {
            ["membership"] = "join",
            ["join_authorised_via_users_server"] = "@admin:a.example",
        };

        var keys = AuthEventSelection.Select(rules, EventTypes.Member, "@bob:b.example", "@bob:b.example", content);

        Assert.Equal(
            [
                new StateKey(EventTypes.Create, ""), new StateKey(EventTypes.PowerLevels, ""), new StateKey(EventTypes.Member, "@bob:b.example"),
                new StateKey(EventTypes.JoinRules, ""), new StateKey(EventTypes.Member, "@admin:a.example"),
            ],
            keys);
    }

    private static List<Pdu> Selected(TestRoom room) =>
        AuthEventSelection.Select(room.Rules, "m.room.message", null, Creator, [])
            .Select(key => key.Type == EventTypes.Create ? room.Create : key.Type == EventTypes.PowerLevels ? null : room.StateOf(key.Type, key.Key))
            .OfType<Pdu>()
            .ToList();
}
