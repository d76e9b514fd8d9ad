using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Homeserver.Core.Json;
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
    // built once, kept immutable, and each reader gets a view over it with an unsigned of its own. Kept per
    // instance, so a redacted copy (a new instance) is formatted afresh.
    private static readonly ConditionalWeakTable<RoomEvent, StrongBox<JsonElement>> Formatted = new();
    private static readonly JsonTypeInfo<ClientEventView> ViewInfo = (JsonTypeInfo<ClientEventView>)MatrixJson.Options.GetTypeInfo(typeof(ClientEventView));

    /// <summary>The client form as a node that writes itself: for responses, which only serialise it.</summary>
    /// <param name="reader">Whose timeline this is: the device that sent the event sees its transaction ID.</param>
    public static JsonNode Format(RoomEvent e, long nowMs, bool includeRoomId = true, Session? reader = null) =>
        JsonValue.Create(View(e, nowMs, includeRoomId, reader), ViewInfo)!;

    /// <summary>The client form as an object, for the callers that read from it.</summary>
    public static JsonObject FormatObject(RoomEvent e, long nowMs, Session? reader = null) =>
        JsonSerializer.SerializeToNode(View(e, nowMs, includeRoomId: true, reader), ViewInfo)!.AsObject();

    private static ClientEventView View(RoomEvent e, long nowMs, bool includeRoomId, Session? reader) => new(
        Formatted.GetValue(e, Build).Value,
        includeRoomId ? e.RoomId : null,
        Math.Max(0, nowMs - e.OriginServerTs),
        e.RedactedBy,
        e.Transaction is { } sent && reader is not null && sent.UserId == reader.UserId && sent.DeviceId == reader.DeviceId ? sent.TransactionId : null);

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
