using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Tests.Signing;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Protocol.Tests.Events;

public sealed class PduParserTests
{
    [Fact]
    public void A_signed_event_parses_with_its_computed_id_and_fields()
    {
        var (json, eventId) = Signed(new JsonObject { ["body"] = "hi" });

        Assert.True(PduParser.TryParse(Encoding.UTF8.GetBytes(json.ToJsonString()), Versions.V11, out var pdu, out var error), error);

        Assert.Equal(eventId, pdu.EventId);
        Assert.Equal("m.room.message", pdu.Type);
        Assert.Equal("@u:domain", pdu.Sender);
        Assert.Equal(["$prev"], pdu.PrevEvents);
        Assert.Null(pdu.StateKey);
    }

    [Fact]
    public void An_event_over_65536_bytes_is_refused()
    {
        var (json, _) = Signed(new JsonObject { ["body"] = new string('x', 65_536) });

        Assert.False(PduParser.TryParse(json, Versions.V11, out _, out var error));
        Assert.Contains("65536", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sender")]
    [InlineData("type")]
    [InlineData("room_id")]
    [InlineData("state_key")]
    public void Identifiers_over_255_bytes_are_refused(string field)
    {
        var (json, _) = Signed([]);
        json[field] = field == "sender" ? "@" + new string('a', 250) + ":domain" : new string('a', 256);

        Assert.False(PduParser.TryParse(json, Versions.V11, out _, out var error));
        Assert.Contains(field, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\": 1}")]
    [InlineData("{\"content\": []}")]
    [InlineData("{\"prev_events\": \"$x\"}")]
    [InlineData("{\"depth\": \"5\"}")]
    public void Fields_of_the_wrong_type_are_refused(string patch)
    {
        var (json, _) = Signed([]);
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            json[key] = value?.DeepClone();
        }

        Assert.False(PduParser.TryParse(json, Versions.V11, out _, out _));
    }

    [Fact]
    public void Room_version_6_refuses_floats_that_version_5_tolerates()
    {
        const string Json = """{"room_id":"!r:domain","sender":"@u:domain","type":"m.room.message","content":{"n":1.5},"prev_events":[],"auth_events":[],"depth":1,"origin_server_ts":1,"hashes":{},"signatures":{}}""";

        Assert.False(PduParser.TryParse(Encoding.UTF8.GetBytes(Json), Versions.V6, out _, out _));
        // Version 5 parses it; the float can still not be hashed canonically, so the event fails later checks.
        Assert.False(PduParser.TryParse(Encoding.UTF8.GetBytes(Json), Versions.V5, out _, out var error));
        Assert.Contains("floating", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_1_events_need_their_event_id_and_use_id_hash_pairs()
    {
        var json = JsonNode.Parse("""
            {"event_id":"$abc:domain","room_id":"!r:domain","sender":"@u:domain","type":"m.room.message","content":{},
             "prev_events":[["$p:domain",{"sha256":"x"}]],"auth_events":[["$a:domain",{"sha256":"y"}]],"depth":2,
             "origin_server_ts":1,"hashes":{},"signatures":{}}
            """)!.AsObject();
        var withoutId = json.DeepClone().AsObject();
        withoutId.Remove("event_id");

        Assert.True(PduParser.TryParse(json, Versions.V1, out var pdu, out _));
        Assert.Equal("$abc:domain", pdu.EventId);
        Assert.Equal(["$p:domain"], pdu.PrevEvents);
        Assert.Equal(["$a:domain"], pdu.AuthEvents);
        Assert.False(PduParser.TryParse(withoutId, Versions.V1, out _, out _));
    }

    private static (JsonObject Json, string EventId) Signed(JsonObject content)
    {
        using var key = SpecKey.Create();
        var json = new JsonObject
        {
            ["room_id"] = "!r:domain",
            ["sender"] = "@u:domain",
            ["type"] = "m.room.message",
            ["content"] = content,
            ["prev_events"] = new JsonArray("$prev"),
            ["auth_events"] = new JsonArray(),
            ["depth"] = 3,
            ["origin_server_ts"] = 1,
        };
        return (json, EventSigner.HashAndSign(json, Versions.V11, SpecKey.Server, key));
    }
}
