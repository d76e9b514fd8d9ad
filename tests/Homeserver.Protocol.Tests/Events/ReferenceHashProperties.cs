using System.Text.Json.Nodes;
using CsCheck;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Redaction;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Protocol.Tests.Events;

public sealed class ReferenceHashProperties
{
    private static readonly Gen<(string Version, string Type, string Body, string Key, long Depth)> Events =
        Gen.Select(
            Gen.Int[0, Versions.All.Count - 1].Select(i => Versions.All.Keys.ElementAt(i)),
            Gen.Int[0, 4].Select(i => new[] { "m.room.message", "m.room.member", "m.room.power_levels", "m.room.create", "m.room.join_rules" }[i]),
            Gen.String,
            Gen.String[Gen.Char.AlphaNumeric, 1, 8],
            Gen.Long[1, 1_000_000]);

    [Fact]
    public void A_redacted_event_keeps_its_event_id() =>
        Events.Sample(e =>
        {
            var rules = Versions.All[e.Version];
            var json = new JsonObject
            {
                ["event_id"] = "$e:example.org",
                ["room_id"] = "!r:example.org",
                ["sender"] = "@u:example.org",
                ["type"] = e.Type,
                ["state_key"] = "",
                ["content"] = new JsonObject { ["body"] = e.Body, [e.Key] = e.Body, ["membership"] = "join" },
                ["prev_events"] = new JsonArray(),
                ["auth_events"] = new JsonArray(),
                ["depth"] = e.Depth,
                ["origin_server_ts"] = e.Depth,
                ["unsigned"] = new JsonObject { ["age"] = e.Depth },
            };

            var redacted = Redactor.Redact(json, rules.Redaction);

            Assert.Equal(EventIds.Compute(json, rules), EventIds.Compute(redacted, rules));
            Assert.Equal(Convert.ToHexString(EventHashing.ReferenceHash(json, rules)), Convert.ToHexString(EventHashing.ReferenceHash(redacted, rules)));
        });
}
