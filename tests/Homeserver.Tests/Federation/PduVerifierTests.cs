using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Steps 1 to 3 of "Checks performed on receipt of a PDU" over a batch, as B checks events A signed (A's key fetched
/// over HTTPS): a large batch, checked on every core, gives each event the verdict a small one does, in its place.
/// </summary>
public sealed class PduVerifierTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    [Theory]
    [InlineData(10)]
    [InlineData(300)]
    public async Task Each_event_of_a_batch_gets_its_own_verdict_in_its_place(int count)
    {
        var (a, b) = (servers.A, servers.B);
        var rules = RoomVersions.Default;
        var key = a.Services.GetRequiredService<SigningKey>();
        var roomId = $"!verifier{count}:{a.ServerName}";
        var events = new List<JsonNode?>();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var json = new JsonObject
            {
                ["type"] = "m.room.message",
                ["room_id"] = roomId,
                ["sender"] = $"@alice:{a.ServerName}",
                ["content"] = new JsonObject { ["msgtype"] = "m.text", ["body"] = $"message {i}" },
                ["origin_server_ts"] = 1_700_000_000_000 + i,
                ["depth"] = i + 1,
                ["prev_events"] = new JsonArray(),
                ["auth_events"] = new JsonArray(),
            };
            ids.Add(EventSigner.HashAndSign(json, rules, a.ServerName, key));
            events.Add(json);
        }

        // Near the end of the batch: a malformed one, a forged signature, and content that no longer matches its hash.
        var (malformed, forged, altered) = (count - 3, count - 2, count - 1);
        events[malformed] = new JsonArray();
        var signatures = events[forged]!["signatures"]![a.ServerName]!.AsObject();
        var keyId = signatures.Single().Key;
        signatures[keyId] = events[0]!["signatures"]![a.ServerName]![keyId]!.DeepClone();
        events[altered]!["content"]!["body"] = "changed after signing";

        var results = await b.Services.GetRequiredService<PduVerifier>().VerifyAsync(events, rules, CancellationToken.None);

        Assert.Equal(count, results.Count);
        Assert.Null(results[malformed].Pdu);
        Assert.Null(results[forged].Pdu);
        Assert.Equal(ids[forged], results[forged].EventId);
        // Kept, but only in its redacted form: the content is gone.
        Assert.Equal(ids[altered], results[altered].Pdu!.EventId);
        Assert.Empty(results[altered].Pdu!.Content);
        for (var i = 0; i < count - 3; i++)
        {
            Assert.Equal(ids[i], results[i].Pdu?.EventId);
            Assert.Equal($"message {i}", (string?)results[i].Pdu!.Content["body"]);
        }
    }
}
