using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Signing;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Protocol.Tests.Signing;

public sealed class EventSignatureVerifierTests
{
    [Fact]
    public void An_event_signed_by_its_senders_server_verifies_and_a_forged_one_does_not()
    {
        using var key = SpecKey.Create();
        using var forger = SigningKey.Generate("1");
        var pdu = Signed(key, Versions.V11, sender: "@u:domain");
        var forged = Signed(forger, Versions.V11, sender: "@u:domain");

        Assert.True(EventSignatureVerifier.Verify(pdu, Versions.V11, Keys(key)).IsValid);
        Assert.False(EventSignatureVerifier.Verify(forged, Versions.V11, Keys(key)).IsValid);
        Assert.False(EventSignatureVerifier.Verify(pdu, Versions.V11, (_, _) => null).IsValid);
    }

    [Fact]
    public void An_event_claiming_a_sender_of_another_server_is_refused()
    {
        using var key = SpecKey.Create();
        var pdu = Signed(key, Versions.V11, sender: "@mallory:other.example");

        var result = EventSignatureVerifier.Verify(pdu, Versions.V11, Keys(key));

        Assert.False(result.IsValid);
        Assert.Contains("other.example", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4", true)]
    [InlineData("5", false)]
    public void Keys_past_their_validity_count_only_before_version_5(string version, bool valid)
    {
        using var key = SpecKey.Create();
        var rules = Versions.All[version];
        var pdu = Signed(key, rules, sender: "@u:domain");

        var result = EventSignatureVerifier.Verify(pdu, rules, (server, id) => server == "domain" ? new VerifyKey(key.PublicKey, ValidUntilTs: pdu.OriginServerTs - 1) : null);

        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void A_restricted_join_also_needs_the_authorising_servers_signature()
    {
        var rules = Versions.V10;
        var json = Json(rules, "@u:domain");
        json["type"] = EventTypes.Member;
        json["state_key"] = "@u:domain";
        json["content"] = new JsonObject { ["membership"] = "join", ["join_authorised_via_users_server"] = "@admin:resident.example" };

        var pdu = Pdu.FromJson(json, "$x", rules);

        Assert.Equal(["domain", "resident.example"], EventSignatureVerifier.RequiredSigners(pdu, rules).Order(StringComparer.Ordinal));
    }

    private static Func<string, string, VerifyKey?> Keys(SigningKey key) =>
        (server, keyId) => server == "domain" && keyId == key.KeyId ? new VerifyKey(key.PublicKey, long.MaxValue) : null;

    private static Pdu Signed(SigningKey key, RoomVersions.RoomVersionRules rules, string sender)
    {
        var json = Json(rules, sender);
        var eventId = EventSigner.HashAndSign(json, rules, "domain", key);
        return Pdu.FromJson(json, eventId, rules);
    }

    private static JsonObject Json(RoomVersions.RoomVersionRules rules, string sender) => new()
    {
        ["room_id"] = "!r:domain",
        ["sender"] = sender,
        ["type"] = "m.room.message",
        ["content"] = new JsonObject { ["body"] = "hi" },
        ["prev_events"] = new JsonArray(),
        ["auth_events"] = new JsonArray(),
        ["depth"] = 2,
        ["origin_server_ts"] = 1_000_000,
    };
}
