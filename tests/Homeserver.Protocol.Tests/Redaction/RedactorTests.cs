using System.Text.Json.Nodes;
using Homeserver.Protocol.Redaction;
using Homeserver.Protocol.RoomVersions;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Protocol.Tests.Redaction;

/// <summary>Each change of the redaction algorithm, checked on both sides of the room version that made it.</summary>
public sealed class RedactorTests
{
    public static TheoryData<string> AllVersions() => [.. Versions.All.Keys];

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void Message_content_and_unknown_top_level_keys_are_removed(string version)
    {
        var redacted = Redact(version, "m.room.message", new JsonObject { ["body"] = "secret", ["msgtype"] = "m.text" },
            extra: new JsonObject { ["unsigned"] = new JsonObject { ["age"] = 1 }, ["custom"] = 1 });

        Assert.Empty(redacted["content"]!.AsObject());
        Assert.False(redacted.ContainsKey("unsigned"));
        Assert.False(redacted.ContainsKey("custom"));
        Assert.Equal("@u:domain", (string?)redacted["sender"]);
        Assert.Equal(7, (int)redacted["depth"]!);
    }

    [Theory]
    [InlineData("10", true)]
    [InlineData("11", false)]
    public void Origin_membership_and_prev_state_are_kept_until_v11(string version, bool kept)
    {
        var redacted = Redact(version, "m.room.member", new JsonObject { ["membership"] = "join" },
            extra: new JsonObject { ["origin"] = "domain", ["membership"] = "join", ["prev_state"] = new JsonArray() });

        Assert.Equal(kept, redacted.ContainsKey("origin"));
        Assert.Equal(kept, redacted.ContainsKey("membership"));
        Assert.Equal(kept, redacted.ContainsKey("prev_state"));
    }

    [Theory]
    [InlineData("5", true)]
    [InlineData("6", false)]
    public void Aliases_keep_their_aliases_until_v6(string version, bool kept) =>
        Assert.Equal(kept, Redact(version, "m.room.aliases", new JsonObject { ["aliases"] = new JsonArray("#a:domain") })["content"]!.AsObject().ContainsKey("aliases"));

    [Theory]
    [InlineData("7", false)]
    [InlineData("8", true)]
    public void Join_rules_keep_allow_from_v8(string version, bool kept)
    {
        var content = Redact(version, "m.room.join_rules", new JsonObject { ["join_rule"] = "restricted", ["allow"] = new JsonArray(), ["x"] = 1 })["content"]!.AsObject();

        Assert.Equal("restricted", (string?)content["join_rule"]);
        Assert.Equal(kept, content.ContainsKey("allow"));
        Assert.False(content.ContainsKey("x"));
    }

    [Theory]
    [InlineData("8", false)]
    [InlineData("9", true)]
    public void Member_keeps_join_authorised_via_users_server_from_v9(string version, bool kept)
    {
        var content = Redact(version, "m.room.member", new JsonObject
        {
            ["membership"] = "join",
            ["join_authorised_via_users_server"] = "@x:domain",
            ["displayname"] = "Gone",
        })["content"]!.AsObject();

        Assert.Equal("join", (string?)content["membership"]);
        Assert.Equal(kept, content.ContainsKey("join_authorised_via_users_server"));
        Assert.False(content.ContainsKey("displayname"));
    }

    [Theory]
    [InlineData("10", false)]
    [InlineData("11", true)]
    public void V11_keeps_all_create_content_power_levels_invite_redacts_and_signed_third_party_invites(string version, bool v11)
    {
        var create = Redact(version, "m.room.create", new JsonObject { ["creator"] = "@u:domain", ["room_version"] = version, ["m.federate"] = false })["content"]!.AsObject();
        var power = Redact(version, "m.room.power_levels", new JsonObject { ["invite"] = 50, ["ban"] = 50, ["notifications"] = new JsonObject() })["content"]!.AsObject();
        var redaction = Redact(version, "m.room.redaction", new JsonObject { ["redacts"] = "$e", ["reason"] = "spam" })["content"]!.AsObject();
        var member = Redact(version, "m.room.member", new JsonObject
        {
            ["membership"] = "invite",
            ["third_party_invite"] = new JsonObject { ["display_name"] = "x", ["signed"] = new JsonObject { ["token"] = "t" } },
        })["content"]!.AsObject();

        Assert.True(create.ContainsKey("creator"));
        Assert.Equal(v11, create.ContainsKey("m.federate"));
        Assert.Equal(v11, power.ContainsKey("invite"));
        Assert.True(power.ContainsKey("ban"));
        Assert.False(power.ContainsKey("notifications"));
        Assert.Equal(v11, redaction.ContainsKey("redacts"));
        Assert.False(redaction.ContainsKey("reason"));
        Assert.Equal(v11, member["third_party_invite"]?["signed"]?["token"] is not null);
        Assert.False(member["third_party_invite"]?.AsObject().ContainsKey("display_name") ?? false);
    }

    [Fact]
    public void Redaction_does_not_change_the_original()
    {
        var original = Event("m.room.message", new JsonObject { ["body"] = "kept" }, null);

        Redactor.Redact(original, Versions.V11.Redaction);

        Assert.Equal("kept", (string?)original["content"]!["body"]);
    }

    private static JsonObject Redact(string version, string type, JsonObject content, JsonObject? extra = null) =>
        Redactor.Redact(Event(type, content, extra), Versions.All[version].Redaction);

    private static JsonObject Event(string type, JsonObject content, JsonObject? extra)
    {
        var json = new JsonObject
        {
            ["type"] = type,
            ["room_id"] = "!r:domain",
            ["sender"] = "@u:domain",
            ["state_key"] = "",
            ["content"] = content,
            ["depth"] = 7,
            ["origin_server_ts"] = 1,
            ["prev_events"] = new JsonArray(),
            ["auth_events"] = new JsonArray(),
            ["hashes"] = new JsonObject { ["sha256"] = "x" },
            ["signatures"] = new JsonObject(),
        };
        foreach (var (key, value) in extra ?? [])
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }
}
