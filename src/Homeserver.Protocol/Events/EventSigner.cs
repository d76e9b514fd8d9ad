using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Redaction;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;

namespace Homeserver.Protocol.Events;

/// <summary>Completes a new event of ours: its content hash, then our signature over its redacted form.</summary>
public static class EventSigner
{
    /// <summary>Adds <c>hashes</c> and our signature to <paramref name="json"/> and returns its event ID.</summary>
    public static string HashAndSign(JsonObject json, RoomVersionRules rules, string serverName, SigningKey key)
    {
        json["hashes"] = new JsonObject { ["sha256"] = UnpaddedBase64.Encode(EventHashing.ContentHash(json)) };

        Countersign(json, rules, serverName, key);
        return EventIds.Compute(json, rules) ?? throw new InvalidEventException("A room version 1–2 event needs its event_id before signing");
    }

    /// <summary>Adds our signature to an event, keeping the others' (an invited server signing the invite).</summary>
    public static void Countersign(JsonObject json, RoomVersionRules rules, string serverName, SigningKey key)
    {
        // The signature covers the redacted event, so that it stays checkable after a redaction.
        var redacted = Redactor.Redact(json, rules.Redaction);
        redacted.Remove("signatures");
        JsonSigning.Sign(redacted, serverName, key);
        if (json["signatures"] is not JsonObject signatures)
        {
            json["signatures"] = signatures = [];
        }

        signatures[serverName] = redacted["signatures"]![serverName]!.DeepClone();
    }
}
