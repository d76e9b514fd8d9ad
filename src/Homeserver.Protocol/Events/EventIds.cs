using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.Events;

/// <summary>The ID of an event in each event format (rooms/fragments: v1 and v4 event IDs).</summary>
public static class EventIds
{
    /// <summary>The event's ID; null for a version 1–2 event without an <c>event_id</c> string.</summary>
    public static string? Compute(JsonObject json, RoomVersionRules rules) => rules.EventFormat switch
    {
        EventFormat.V1 => json["event_id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null,
        EventFormat.V2 => "$" + UnpaddedBase64.Encode(EventHashing.ReferenceHash(json, rules)),
        EventFormat.V3 => "$" + UnpaddedBase64.EncodeUrlSafe(EventHashing.ReferenceHash(json, rules)),
        _ => throw new ArgumentOutOfRangeException(nameof(rules), rules.EventFormat, "Unknown event format"),
    };
}
