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
    public async Task<IReadOnlyList<ReceivedPdu>> VerifyAsync(IReadOnlyList<JsonNode?> events, RoomVersionRules rules, CancellationToken cancellationToken)
    {
        var parsed = new List<(Pdu? Pdu, string? Error)>(events.Count);
        var wanted = new HashSet<(string Server, string KeyId, long MinimumValidUntilTs)>();
        foreach (var node in events)
        {
            if (node is not JsonObject json)
            {
                parsed.Add((null, "a PDU must be an object"));
                continue;
            }

            if (!PduParser.TryParse(json, rules, out var pdu, out var error))
            {
                parsed.Add((null, error));
                continue;
            }

            parsed.Add((pdu, null));
            foreach (var server in EventSignatureVerifier.RequiredSigners(pdu, rules))
            {
                if (json["signatures"]?[server] is JsonObject signatures)
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
        var results = new List<ReceivedPdu>(events.Count);
        foreach (var (pdu, error) in parsed)
        {
            if (pdu is null)
            {
                results.Add(ReceivedPdu.Failed(null, error!));
                continue;
            }

            var signatures = EventSignatureVerifier.Verify(pdu, rules, (server, keyId) => keys.GetValueOrDefault((server, keyId)));
            if (!signatures.IsValid)
            {
                results.Add(ReceivedPdu.Failed(pdu.EventId, signatures.Reason ?? "bad signature"));
                continue;
            }

            results.Add(new ReceivedPdu(pdu.EventId, EventHashing.HasValidContentHash(pdu.Json)
                ? pdu
                : Pdu.FromJson(Redactor.Redact(pdu.Json, rules.Redaction), pdu.EventId, rules), null));
        }

        return results;
    }
}
