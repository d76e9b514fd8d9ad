using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Redaction;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;

namespace Homeserver.Core.Federation;

/// <summary>
/// Steps 1 to 3 of the server-server API's "Checks performed on receipt of a PDU": the format and size of the room
/// version, the signatures of every server that must have signed it, and the content hash — an event whose hash
/// does not match is kept only in its redacted form. The keys of a whole batch are fetched together.
/// </summary>
public sealed class PduVerifier(IServerKeyRing keyRing)
{
    /// <summary>From this many events on, they are parsed and checked on every core: the state of a large room.</summary>
    private const int ParallelFrom = 64;

    public async Task<IReadOnlyList<ReceivedPdu>> VerifyAsync(IReadOnlyList<JsonNode?> events, RoomVersionRules rules, CancellationToken cancellationToken)
    {
        // Each event's JSON is touched by one thread only, so the parsing and checking of different events may overlap.
        var parsed = new (Pdu? Pdu, string? Error)[events.Count];
        ForEach(events.Count, i => parsed[i] = Parse(events[i], rules));
        var wanted = new HashSet<(string Server, string KeyId, long MinimumValidUntilTs)>();
        foreach (var pdu in parsed.Select(p => p.Pdu).OfType<Pdu>())
        {
            foreach (var server in EventSignatureVerifier.RequiredSigners(pdu, rules))
            {
                if (pdu.Json["signatures"]?[server] is JsonObject signatures)
                {
                    foreach (var (keyId, _) in signatures)
                    {
                        // Before room version 5 a key counts whenever it was valid; from 5 on, at the event's time.
                        wanted.Add((server, keyId, rules.EnforceKeyValidity ? pdu.OriginServerTs : 0));
                    }
                }
            }
        }

        var keys = wanted.Count == 0
            ? new Dictionary<(string, string), VerifyKey>()
            : await keyRing.GetKeysAsync([.. wanted], cancellationToken);
        var results = new ReceivedPdu[events.Count];
        ForEach(events.Count, i => results[i] = Check(parsed[i], rules, keys));
        return results;
    }

    private static void ForEach(int count, Action<int> body)
    {
        if (count < ParallelFrom)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }
        }
        else
        {
            Parallel.For(0, count, body);
        }
    }

    private static (Pdu? Pdu, string? Error) Parse(JsonNode? node, RoomVersionRules rules)
    {
        if (node is not JsonObject json)
        {
            return (null, "a PDU must be an object");
        }

        return PduParser.TryParse(json, rules, out var pdu, out var error) ? (pdu, null) : (null, error);
    }

    private static ReceivedPdu Check((Pdu? Pdu, string? Error) parsed, RoomVersionRules rules, IReadOnlyDictionary<(string, string), VerifyKey> keys)
    {
        if (parsed.Pdu is not { } pdu)
        {
            return ReceivedPdu.Failed(null, parsed.Error!);
        }

        var signatures = EventSignatureVerifier.Verify(pdu, rules, (server, keyId) => keys.GetValueOrDefault((server, keyId)));
        if (!signatures.IsValid)
        {
            return ReceivedPdu.Failed(pdu.EventId, signatures.Reason ?? "bad signature");
        }

        return new ReceivedPdu(pdu.EventId, EventHashing.HasValidContentHash(pdu.Json)
            ? pdu
            : Pdu.FromJson(Redactor.Redact(pdu.Json, rules.Redaction), pdu.EventId, rules), null);
    }
}
