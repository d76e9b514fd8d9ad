using System.Text.Json.Nodes;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Protocol.Tests.Authorization;

/// <summary>The auth rules, run for every room version where a rule applies and on both sides of each change.</summary>
public sealed class EventAuthorizerTests
{
    private const string Creator = "@creator:a.example";
    private const string Alice = "@alice:a.example";
    private const string Bob = "@bob:b.example";

    public static TheoryData<string> AllVersions() => [.. Versions.All.Keys];

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Invite_only_rooms_need_an_invite_and_public_rooms_do_not(string version)
    {
        var room = new TestRoom(version);

        var uninvited = room.Check(room.Member(Bob, Bob, "join"));
        room.Do(room.Member(Creator, Bob, "invite"));
        var invited = room.Check(room.Member(Bob, Bob, "join"));
        var publicRoom = new TestRoom(version).JoinRule("public");

        Assert.False(uninvited.IsAllowed);
        Assert.True(invited.IsAllowed, invited.Reason);
        Assert.True(publicRoom.Check(publicRoom.Member(Bob, Bob, "join")).IsAllowed);
        Assert.False(publicRoom.Check(publicRoom.Member(Alice, Bob, "join")).IsAllowed);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Non_members_cannot_send_and_members_need_the_required_level(string version)
    {
        var room = new TestRoom(version).JoinRule("public").Join(Alice);
        room.PowerLevels(Creator, new JsonObject { ["users"] = room.Users((Creator, 100)), ["events"] = new JsonObject { ["m.room.topic"] = 50 } });

        Assert.False(room.Check(room.Event("m.room.message", Bob, new JsonObject { ["body"] = "x" })).IsAllowed);
        Assert.True(room.Check(room.Event("m.room.message", Alice, new JsonObject { ["body"] = "x" })).IsAllowed);
        Assert.False(room.Check(room.Event("m.room.topic", Alice, new JsonObject { ["topic"] = "t" }, "")).IsAllowed);
        Assert.True(room.Check(room.Event("m.room.topic", Creator, new JsonObject { ["topic"] = "t" }, "")).IsAllowed);
        // A state key naming a user must be the sender.
        Assert.False(room.Check(room.Event("m.custom", Alice, [], Creator)).IsAllowed);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Kick_ban_and_unban_follow_the_levels(string version)
    {
        var room = new TestRoom(version).JoinRule("public").Join(Alice).Join(Bob);
        room.PowerLevels(Creator, new JsonObject { ["users"] = room.Users((Creator, 100), (Alice, 50)) });

        Assert.True(room.Check(room.Member(Alice, Bob, "leave")).IsAllowed);
        Assert.False(room.Check(room.Member(Bob, Alice, "leave")).IsAllowed);
        Assert.False(room.Check(room.Member(Alice, Creator, "ban")).IsAllowed);
        room.Do(room.Member(Alice, Bob, "ban"));
        Assert.False(room.Check(room.Member(Bob, Bob, "join")).IsAllowed);
        room.PowerLevels(Creator, new JsonObject { ["users"] = room.Users((Creator, 100), (Alice, 50)), ["ban"] = 75 });
        Assert.False(room.Check(room.Member(Alice, Bob, "leave")).IsAllowed);
        Assert.True(room.Check(room.Member(Creator, Bob, "leave")).IsAllowed);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Power_level_changes_cannot_exceed_or_touch_equal_levels(string version)
    {
        var room = new TestRoom(version).JoinRule("public").Join(Alice).Join(Bob);
        room.PowerLevels(Creator, new JsonObject { ["users"] = room.Users((Creator, 100), (Alice, 50), (Bob, 50)) });

        Assert.False(room.Check(room.Event(EventTypes.PowerLevels, Alice, new JsonObject { ["users"] = room.Users((Creator, 100), (Alice, 60), (Bob, 50)), ["state_default"] = 50 }, "")).IsAllowed);
        Assert.False(room.Check(room.Event(EventTypes.PowerLevels, Alice, new JsonObject { ["users"] = room.Users((Creator, 100), (Alice, 50), (Bob, 0)), ["state_default"] = 50 }, "")).IsAllowed);
        var lowerSelf = room.Check(room.Event(EventTypes.PowerLevels, Alice, new JsonObject { ["users"] = room.Users((Creator, 100), (Alice, 10), (Bob, 50)), ["state_default"] = 50 }, ""));
        var raiseDefault = room.Check(room.Event(EventTypes.PowerLevels, Alice, new JsonObject { ["users"] = room.Users((Creator, 100), (Alice, 50), (Bob, 50)), ["state_default"] = 60 }, ""));
        Assert.True(lowerSelf.IsAllowed, lowerSelf.Reason);
        Assert.False(raiseDefault.IsAllowed);
    }

    [Theory]
    [InlineData("6", false)]
    [InlineData("7", true)]
    public void Knocking_arrives_in_version_7(string version, bool allowed)
    {
        var room = new TestRoom(version);
        room.Send(room.Event(EventTypes.JoinRules, Creator, new JsonObject { ["join_rule"] = "knock" }, ""));

        Assert.Equal(allowed, room.Check(room.Member(Bob, Bob, "knock")).IsAllowed);
    }

    [Theory]
    [InlineData("7", false)]
    [InlineData("8", true)]
    public void Restricted_joins_arrive_in_version_8(string version, bool allowed)
    {
        var room = new TestRoom(version).Join(Creator);
        room.Send(room.Event(EventTypes.JoinRules, Creator, new JsonObject { ["join_rule"] = "restricted", ["allow"] = new JsonArray() }, ""));
        var join = room.Member(Bob, Bob, "join", new JsonObject { ["join_authorised_via_users_server"] = Creator });
        join.Json["signatures"]!["a.example"] = new JsonObject();

        Assert.Equal(allowed, room.Check(join).IsAllowed);
    }

    [Fact]
    public void A_restricted_join_needs_a_joined_authoriser_who_may_invite_and_its_servers_signature()
    {
        var room = new TestRoom("10").JoinRule("restricted", []).JoinRule("restricted", []);
        room.PowerLevels(Creator, new JsonObject { ["users"] = room.Users((Creator, 100)), ["invite"] = 50 });
        room.Do(room.Member(Creator, Alice, "invite")).Join(Alice);

        Pdu Join(string authoriser, bool signed)
        {
            var join = room.Member(Bob, Bob, "join", new JsonObject { ["join_authorised_via_users_server"] = authoriser });
            if (signed)
            {
                join.Json["signatures"]!["a.example"] = new JsonObject();
            }

            return join;
        }

        Assert.True(room.Check(Join(Creator, signed: true)).IsAllowed);
        Assert.False(room.Check(Join(Creator, signed: false)).IsAllowed);
        Assert.False(room.Check(Join(Alice, signed: true)).IsAllowed);
    }

    [Theory]
    [InlineData("9", false)]
    [InlineData("10", true)]
    public void Knock_restricted_arrives_in_version_10(string version, bool allowed)
    {
        var room = new TestRoom(version);
        room.Send(room.Event(EventTypes.JoinRules, Creator, new JsonObject { ["join_rule"] = "knock_restricted", ["allow"] = new JsonArray() }, ""));

        Assert.Equal(allowed, room.Check(room.Member(Bob, Bob, "knock")).IsAllowed);
    }

    [Theory]
    [InlineData("9", true)]
    [InlineData("10", false)]
    public void String_power_levels_are_refused_from_version_10(string version, bool allowed)
    {
        var room = new TestRoom(version);
        var content = new JsonObject { ["users"] = new JsonObject { [Creator] = "100" }, ["ban"] = "50" };

        Assert.Equal(allowed, room.Check(room.Event(EventTypes.PowerLevels, Creator, content, "")).IsAllowed);
    }

    [Theory]
    [InlineData("5", true)]
    [InlineData("6", false)]
    public void Aliases_bypass_membership_until_version_6(string version, bool allowed)
    {
        var room = new TestRoom(version);

        Assert.Equal(allowed, room.Check(room.Event(EventTypes.Aliases, Bob, new JsonObject { ["aliases"] = new JsonArray() }, "b.example")).IsAllowed);
    }

    [Theory]
    [InlineData("2", false)]
    [InlineData("3", true)]
    public void Redacting_another_servers_event_needs_the_redact_level_only_before_version_3(string version, bool allowed)
    {
        var room = new TestRoom(version).JoinRule("public").Join(Alice);
        room.PowerLevels(Creator, new JsonObject { ["users"] = room.Users((Creator, 100)), ["redact"] = 50 });

        Assert.Equal(allowed, room.Check(Redaction(room, "$other:b.example")).IsAllowed);
        Assert.True(room.Check(Redaction(room, "$other:a.example")).IsAllowed);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void A_room_that_does_not_federate_refuses_other_servers(string version)
    {
        var room = new TestRoom(version, createContent: new JsonObject { ["m.federate"] = false }).JoinRule("public");

        Assert.False(room.Check(room.Member(Bob, Bob, "join")).IsAllowed);
        Assert.True(room.Check(room.Member(Alice, Alice, "join")).IsAllowed);
    }

    [Theory]
    [InlineData("10", false)]
    [InlineData("11", true)]
    public void Version_11_takes_the_creator_from_the_sender(string version, bool allowedWithoutCreator)
    {
        var rules = Versions.All[version];
        var json = new JsonObject
        {
            ["type"] = EventTypes.Create, ["sender"] = Creator, ["room_id"] = "!r:a.example", ["state_key"] = "",
            ["content"] = new JsonObject { ["room_version"] = version }, ["prev_events"] = new JsonArray(), ["auth_events"] = new JsonArray(), ["depth"] = 1, ["origin_server_ts"] = 1,
        };
        var wrongServer = json.DeepClone().AsObject();
        wrongServer["room_id"] = "!r:b.example";
        var unknownVersion = json.DeepClone().AsObject();
        unknownVersion["content"]!["room_version"] = "999";

        Assert.Equal(allowedWithoutCreator, EventAuthorizer.Authorize(rules, Pdu.FromJson(json, "$c", rules), _ => null).IsAllowed);
        Assert.False(EventAuthorizer.Authorize(rules, Pdu.FromJson(wrongServer, "$c", rules), _ => null).IsAllowed);
        Assert.False(EventAuthorizer.Authorize(rules, Pdu.FromJson(unknownVersion, "$c", rules), _ => null).IsAllowed);
    }

    [Fact]
    public void Version_12_creators_are_above_every_level_and_cannot_be_listed()
    {
        var room = new TestRoom("12", createContent: new JsonObject { ["additional_creators"] = new JsonArray(Alice) }).JoinRule("public").Join(Alice).Join(Bob);

        var listsCreator = room.Check(room.Event(EventTypes.PowerLevels, Creator, new JsonObject { ["users"] = new JsonObject { [Alice] = 100 } }, ""));
        room.PowerLevels(Creator, new JsonObject { ["users"] = new JsonObject { [Bob] = 100 } });
        var bobKicksCreator = room.Check(room.Member(Bob, Alice, "leave"));
        var creatorKicksBob = room.Check(room.Member(Alice, Bob, "leave"));
        var creatorKicksCreator = room.Check(room.Member(Creator, Alice, "leave"));

        Assert.False(listsCreator.IsAllowed);
        Assert.False(bobKicksCreator.IsAllowed);
        Assert.True(creatorKicksBob.IsAllowed, creatorKicksBob.Reason);
        Assert.False(creatorKicksCreator.IsAllowed);
    }

    [Fact]
    public void Version_12_events_must_be_in_the_room_named_by_the_create_event()
    {
        var room = new TestRoom("12");
        var json = room.Event("m.room.message", Creator, []).Json.DeepClone().AsObject();
        json["room_id"] = "!someotherroom:a.example";

        Assert.False(room.Check(Pdu.FromJson(json, "$x", room.Rules)).IsAllowed);
        Assert.Null(room.Create.RoomId);
    }

    [Fact]
    public void Third_party_invites_need_a_signature_by_the_invites_key()
    {
        var room = new TestRoom("11");
        room.Do(room.Event(EventTypes.ThirdPartyInvite, Creator, new JsonObject { ["public_key"] = "KEY", ["display_name"] = "b…" }, "tok"));
        var signed = new JsonObject { ["mxid"] = Bob, ["token"] = "tok", ["signatures"] = new JsonObject() };
        var invite = room.Member(Creator, Bob, "invite", new JsonObject { ["third_party_invite"] = new JsonObject { ["signed"] = signed } });

        Assert.True(room.Check(invite, (_, key) => key == "KEY").IsAllowed);
        Assert.False(room.Check(invite, (_, _) => false).IsAllowed);
        Assert.False(room.Check(invite).IsAllowed);
    }

    private static Pdu Redaction(TestRoom room, string redacts)
    {
        var json = new JsonObject
        {
            ["type"] = EventTypes.Redaction, ["sender"] = Alice, ["room_id"] = room.RoomId, ["redacts"] = redacts,
            ["content"] = new JsonObject { ["redacts"] = redacts }, ["prev_events"] = new JsonArray(), ["auth_events"] = new JsonArray(),
            ["depth"] = 99, ["origin_server_ts"] = 1,
        };
        return Pdu.FromJson(json, "$redaction:a.example", room.Rules);
    }
}
