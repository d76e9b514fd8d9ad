using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Protocol.Tests.Authorization;

/// <summary>Accepted and rejected membership transitions, for every room version where the rule applies.</summary>
public sealed class MembershipRuleTests
{
    private const string Creator = "@creator:a.example";
    private const string Alice = "@alice:a.example";
    private const string Bob = "@bob:b.example";

    public static TheoryData<string> AllVersions() => [.. Versions.All.Keys];

    public static TheoryData<string> KnockVersions() => [.. Versions.All.Values.Where(v => v.Authorization.Knocking).Select(v => v.Id)];

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Invites_need_a_joined_sender_with_invite_power_and_a_target_neither_joined_nor_banned(string version)
    {
        var room = new TestRoom(version).JoinRule("public").Join(Alice);
        room.PowerLevels(Creator, new JsonObject { ["users"] = room.Users((Creator, 100)), ["invite"] = 50 });

        Assert.False(room.Check(room.Member(Alice, Bob, "invite")).IsAllowed);
        Assert.False(room.Check(room.Member(Bob, Bob, "invite")).IsAllowed);
        Assert.True(room.Check(room.Member(Creator, Bob, "invite")).IsAllowed);
        Assert.False(room.Check(room.Member(Creator, Alice, "invite")).IsAllowed);
        room.Do(room.Member(Creator, Bob, "ban"));
        Assert.False(room.Check(room.Member(Creator, Bob, "invite")).IsAllowed);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Users_may_leave_or_reject_invites_but_not_leave_rooms_they_are_not_in(string version)
    {
        var room = new TestRoom(version);
        room.Do(room.Member(Creator, Bob, "invite"));

        Assert.True(room.Check(room.Member(Bob, Bob, "leave")).IsAllowed);
        Assert.False(room.Check(room.Member(Alice, Alice, "leave")).IsAllowed);
        Assert.True(room.Check(room.Member(Creator, Creator, "leave")).IsAllowed);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Unknown_memberships_and_members_without_membership_are_rejected(string version)
    {
        var room = new TestRoom(version).JoinRule("public");

        Assert.False(room.Check(room.Member(Bob, Bob, "dance")).IsAllowed);
        Assert.False(room.Check(room.Event(EventTypes.Member, Bob, new JsonObject(), Bob)).IsAllowed);
        Assert.False(room.Check(room.Event(EventTypes.Member, Bob, new JsonObject { ["membership"] = "join" })).IsAllowed);
    }

    [Theory]
    [MemberData(nameof(KnockVersions))]
    public void Knocks_are_for_oneself_and_not_for_the_banned_invited_or_joined(string version)
    {
        var room = new TestRoom(version).JoinRule("knock");

        Assert.True(room.Check(room.Member(Bob, Bob, "knock")).IsAllowed);
        Assert.False(room.Check(room.Member(Creator, Bob, "knock")).IsAllowed);
        Assert.False(room.Check(room.Member(Creator, Creator, "knock")).IsAllowed);
        room.Do(room.Member(Bob, Bob, "knock"));
        Assert.True(room.Check(room.Member(Bob, Bob, "leave")).IsAllowed, "a knock can be withdrawn");
        Assert.True(room.Check(room.Member(Creator, Bob, "invite")).IsAllowed, "a knock can be answered with an invite");
        room.Do(room.Member(Creator, Bob, "ban"));
        Assert.False(room.Check(room.Member(Bob, Bob, "knock")).IsAllowed);
        var publicRoom = new TestRoom(version).JoinRule("public");
        Assert.False(publicRoom.Check(publicRoom.Member(Bob, Bob, "knock")).IsAllowed);
    }

    [Theory]
    [InlineData("5", true)]
    [InlineData("6", false)]
    public void Notification_levels_are_guarded_from_version_6(string version, bool allowed)
    {
        var room = new TestRoom(version).JoinRule("public").Join(Alice);
        room.PowerLevels(Creator, new JsonObject { ["users"] = room.Users((Creator, 100), (Alice, 50)), ["events"] = new JsonObject { [EventTypes.PowerLevels] = 50 }, ["notifications"] = new JsonObject { ["room"] = 80 } });

        var lowersRoomPing = room.Event(EventTypes.PowerLevels, Alice, new JsonObject
        {
            ["users"] = room.Users((Creator, 100), (Alice, 50)),
            ["events"] = new JsonObject { [EventTypes.PowerLevels] = 50 },
            ["notifications"] = new JsonObject { ["room"] = 10 },
        }, "");

        Assert.Equal(allowed, room.Check(lowersRoomPing).IsAllowed);
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Power_levels_must_name_valid_users(string version)
    {
        var room = new TestRoom(version);

        Assert.False(room.Check(room.Event(EventTypes.PowerLevels, Creator, new JsonObject { ["users"] = new JsonObject { ["not a user"] = 10 } }, "")).IsAllowed);
        Assert.False(room.Check(room.Event(EventTypes.PowerLevels, Creator, new JsonObject { ["users"] = new JsonObject { [Bob] = "lots" } }, "")).IsAllowed);
    }

    [Fact]
    public void Version_12_additional_creators_must_be_user_ids()
    {
        var rules = Versions.V12;
        JsonObject Create(JsonNode additional) => new()
        {
            ["type"] = EventTypes.Create, ["sender"] = Creator, ["state_key"] = "", ["content"] = new JsonObject { ["additional_creators"] = additional },
            ["prev_events"] = new JsonArray(), ["auth_events"] = new JsonArray(), ["depth"] = 1, ["origin_server_ts"] = 1,
        };

        Assert.True(Protocol.Authorization.EventAuthorizer.Authorize(rules, Pdu.FromJson(Create(new JsonArray(Alice)), "$c", rules), _ => null).IsAllowed);
        Assert.False(Protocol.Authorization.EventAuthorizer.Authorize(rules, Pdu.FromJson(Create(new JsonArray("alice")), "$c", rules), _ => null).IsAllowed);
        Assert.False(Protocol.Authorization.EventAuthorizer.Authorize(rules, Pdu.FromJson(Create(Alice), "$c", rules), _ => null).IsAllowed);
    }
}
