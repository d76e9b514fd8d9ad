using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms;

/// <summary>
/// Turns a stored event into the client-server API's "ClientEvent" format: the federation-only keys (hashes,
/// signatures, edges, depth) dropped, and <c>unsigned</c> filled in for the reader.
/// </summary>
public static class ClientEventFormat
{
    // A message wakes every member's /sync with the same RoomEvent (RecentTimelines holds it): its client form is
    // built once, kept immutable, and each reader gets a node over it plus an unsigned of its own. Kept per instance,
    // so a redacted copy (a new instance) is formatted afresh.
    private static readonly ConditionalWeakTable<RoomEvent, StrongBox<JsonElement>> Formatted = new();

    /// <param name="reader">Whose timeline this is: the device that sent the event sees its transaction ID.</param>
    public static JsonObject Format(RoomEvent e, long nowMs, bool includeRoomId = true, Session? reader = null)
    {
        var client = JsonObject.Create(Formatted.GetValue(e, Build).Value)!;
        if (includeRoomId)
        {
            client["room_id"] = e.RoomId;
        }

        var unsigned = new JsonObject { ["age"] = Math.Max(0, nowMs - e.OriginServerTs) };
        if (e.RedactedBy is not null)
        {
            unsigned["redacted_because"] = new JsonObject { ["event_id"] = e.RedactedBy, ["type"] = EventTypes.Redaction };
        }

        if (e.Transaction is { } sent && reader is not null && sent.UserId == reader.UserId && sent.DeviceId == reader.DeviceId)
        {
            unsigned["transaction_id"] = sent.TransactionId;
        }

        client["unsigned"] = unsigned;
        return client;
    }

    private static StrongBox<JsonElement> Build(RoomEvent e)
    {
        var json = JsonNode.Parse(e.Json)!.AsObject();
        var client = new JsonObject
        {
            ["content"] = json["content"]?.DeepClone() ?? new JsonObject(),
            ["event_id"] = e.EventId,
            ["origin_server_ts"] = e.OriginServerTs,
            ["sender"] = e.Sender,
            ["type"] = e.Type,
        };
        if (e.StateKey is not null)
        {
            client["state_key"] = e.StateKey;
        }

        if (e.Type == EventTypes.Redaction && (json["redacts"] ?? json["content"]?["redacts"]) is { } redacts)
        {
            // Room version 11 moved redacts into content; clients of every version still read the top-level key.
            client["redacts"] = redacts.DeepClone();
        }

        return new StrongBox<JsonElement>(JsonSerializer.SerializeToElement(client));
    }

    /// <summary>The stripped form of a state event (<c>invite_state</c>, <c>knock_state</c>).</summary>
    public static JsonObject Stripped(RoomEvent e)
    {
        var json = JsonNode.Parse(e.Json)!.AsObject();
        return new JsonObject
        {
            ["content"] = json["content"]?.DeepClone() ?? new JsonObject(),
            ["sender"] = e.Sender,
            ["state_key"] = e.StateKey,
            ["type"] = e.Type,
        };
    }
}
