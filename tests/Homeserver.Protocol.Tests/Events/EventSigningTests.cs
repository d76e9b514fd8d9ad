using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Redaction;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;
using Homeserver.Protocol.Tests.Signing;

namespace Homeserver.Protocol.Tests.Events;

public sealed class EventSigningTests
{
    // appendices.md, "Event Signing": the vectors keep "origin", so they follow the redaction rules before v11.
    [Fact]
    public void Spec_vector_minimal_event()
    {
        using var key = SpecKey.Create();
        var json = JsonNode.Parse("""
            {"room_id": "!x:domain", "sender": "@a:domain", "origin": "domain", "origin_server_ts": 1000000,
             "signatures": {}, "hashes": {}, "type": "X", "content": {}, "prev_events": [], "auth_events": [],
             "depth": 3, "unsigned": {"age_ts": 1000000}}
            """)!.AsObject();

        EventSigner.HashAndSign(json, RoomVersions.RoomVersions.V10, SpecKey.Server, key);

        Assert.Equal("5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos", (string?)json["hashes"]!["sha256"]);
        Assert.Equal("KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg", (string?)json["signatures"]!["domain"]!["ed25519:1"]);
        Assert.Equal(1000000, (long)json["unsigned"]!["age_ts"]!);
    }

    [Fact]
    public void Spec_vector_event_with_redactable_content()
    {
        using var key = SpecKey.Create();
        var json = JsonNode.Parse("""
            {"content": {"body": "Here is the message content"}, "event_id": "$0:domain", "origin": "domain",
             "origin_server_ts": 1000000, "type": "m.room.message", "room_id": "!r:domain", "sender": "@u:domain",
             "signatures": {}, "unsigned": {"age_ts": 1000000}}
            """)!.AsObject();

        var eventId = EventSigner.HashAndSign(json, RoomVersions.RoomVersions.V1, SpecKey.Server, key);

        Assert.Equal("$0:domain", eventId);
        Assert.Equal("onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g", (string?)json["hashes"]!["sha256"]);
        Assert.Equal("Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA", (string?)json["signatures"]!["domain"]!["ed25519:1"]);
        Assert.True(EventHashing.HasValidContentHash(json));
    }

    [Fact]
    public void Event_ids_follow_the_event_format()
    {
        using var key = SpecKey.Create();
        var v3 = Message();
        var v4 = Message();

        var id3 = EventSigner.HashAndSign(v3, RoomVersions.RoomVersions.V3, SpecKey.Server, key);
        var id4 = EventSigner.HashAndSign(v4, RoomVersions.RoomVersions.V4, SpecKey.Server, key);

        Assert.Matches("^\\$[A-Za-z0-9+/]{43}$", id3);
        Assert.Matches("^\\$[A-Za-z0-9_-]{43}$", id4);
        // The same reference hash in two alphabets.
        Assert.Equal(id3.Replace('+', '-').Replace('/', '_'), id4);
    }

    [Fact]
    public void A_redacted_event_keeps_its_event_id_and_a_changed_one_does_not()
    {
        using var key = SpecKey.Create();
        var json = Message();
        var eventId = EventSigner.HashAndSign(json, RoomVersions.RoomVersions.V11, SpecKey.Server, key);

        var redacted = Redactor.Redact(json, RoomVersions.RoomVersions.V11.Redaction);
        var tampered = json.DeepClone().AsObject();
        tampered["depth"] = 99;

        Assert.Equal(eventId, EventIds.Compute(redacted, RoomVersions.RoomVersions.V11));
        Assert.NotEqual(eventId, EventIds.Compute(tampered, RoomVersions.RoomVersions.V11));
        Assert.True(JsonSigning.Verify(redacted, SpecKey.Server, "ed25519:1", key.PublicKey));
    }

    [Fact]
    public void A_changed_content_fails_the_content_hash_but_not_the_signature()
    {
        using var key = SpecKey.Create();
        var json = Message();
        EventSigner.HashAndSign(json, RoomVersions.RoomVersions.V11, SpecKey.Server, key);

        json["content"]!["body"] = "changed on the way";

        Assert.False(EventHashing.HasValidContentHash(json));
        // The signature covers the redacted form, which has no body: the spec says such an event is redacted, not dropped.
        Assert.True(JsonSigning.Verify(Redactor.Redact(json, RoomVersions.RoomVersions.V11.Redaction), SpecKey.Server, "ed25519:1", key.PublicKey));
    }

    private static JsonObject Message() => new()
    {
        ["room_id"] = "!r:domain",
        ["sender"] = "@u:domain",
        ["type"] = "m.room.message",
        ["content"] = new JsonObject { ["body"] = "hello", ["msgtype"] = "m.text" },
        ["prev_events"] = new JsonArray(),
        ["auth_events"] = new JsonArray(),
        ["depth"] = 5,
        ["origin_server_ts"] = 1_700_000_000_000,
    };
}
