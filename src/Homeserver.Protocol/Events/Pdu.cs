using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.Events;

/// <summary>
/// A persistent data unit (room event) as the federation sees it: the full JSON, kept as received so that it can
/// be re-sent byte for byte, and the fields that the auth rules and state resolution read, parsed once.
/// </summary>
public sealed class Pdu
{
    private Pdu(JsonObject json, string eventId)
    {
        Json = json;
        EventId = eventId;
    }

    /// <summary>The event as received or built, including <c>hashes</c>, <c>signatures</c> and (if any) <c>unsigned</c>.</summary>
    public JsonObject Json { get; }

    public string EventId { get; }

    /// <summary>Null only for a room version 12 create event, whose room ID is derived from its event ID.</summary>
    public string? RoomId { get; private init; }

    public required string Sender { get; init; }

    public required string Type { get; init; }

    public string? StateKey { get; private init; }

    public required JsonObject Content { get; init; }

    public IReadOnlyList<string> PrevEvents { get; private init; } = [];

    public IReadOnlyList<string> AuthEvents { get; private init; } = [];

    public long Depth { get; private init; }

    public long OriginServerTs { get; private init; }

    /// <summary>For <c>m.room.redaction</c>: the redacted event (top level before v11, in content from v11).</summary>
    public string? Redacts { get; private init; }

    public bool IsState => StateKey is not null;

    /// <summary>The (type, state_key) pair of a state event.</summary>
    public StateKey? StateKeyPair => StateKey is null ? null : new StateKey(Type, StateKey);

    /// <summary>Whether the event is of the room: it names it, or it is a create event that names none (version 12).</summary>
    public bool IsOfRoom(string roomId) => RoomId == roomId || (Type == EventTypes.Create && RoomId is null);

    /// <summary>
    /// Reads the fields of <paramref name="json"/> for the given room version. The event ID is computed by the
    /// caller (it depends on hashing for v3+ and is a field of the event for v1–v2).
    /// </summary>
    /// <exception cref="InvalidEventException">A field is missing or of the wrong type.</exception>
    public static Pdu FromJson(JsonObject json, string eventId, RoomVersionRules rules)
    {
        var content = json["content"] as JsonObject ?? throw new InvalidEventException("content must be an object");
        var type = ReadString(json, "type") ?? throw new InvalidEventException("type is required");
        var sender = ReadString(json, "sender") ?? throw new InvalidEventException("sender is required");
        var roomId = ReadString(json, "room_id");
        if (roomId is null && !(rules.Authorization.RoomCreateEventIdAsRoomId && type == EventTypes.Create))
        {
            throw new InvalidEventException("room_id is required");
        }

        string? stateKey = null;
        if (json.TryGetPropertyValue("state_key", out var sk))
        {
            stateKey = ReadString(json, "state_key") ?? (sk is null ? null : throw new InvalidEventException("state_key must be a string"));
        }

        string? redacts = null;
        if (type == EventTypes.Redaction)
        {
            redacts = rules.Redaction.V11Changes
                ? ReadString(content, "redacts") ?? ReadString(json, "redacts")
                : ReadString(json, "redacts");
        }

        return new Pdu(json, eventId)
        {
            RoomId = roomId,
            Sender = sender,
            Type = type,
            StateKey = stateKey,
            Content = content,
            PrevEvents = ReadEventReferences(json, "prev_events", rules.EventFormat),
            AuthEvents = ReadEventReferences(json, "auth_events", rules.EventFormat),
            Depth = ReadInteger(json, "depth"),
            OriginServerTs = ReadInteger(json, "origin_server_ts"),
            Redacts = redacts,
        };
    }

    private static string? ReadString(JsonObject obj, string key)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue value && value.TryGetValue<string>(out var s)
            ? s
            : throw new InvalidEventException($"{key} must be a string");
    }

    private static long ReadInteger(JsonObject obj, string key)
    {
        if (JsonInteger.TryRead(obj[key], out var n))
        {
            return n;
        }

        throw new InvalidEventException($"{key} must be an integer");
    }

    private static string[] ReadEventReferences(JsonObject json, string key, EventFormat format)
    {
        if (json[key] is not JsonArray array)
        {
            throw new InvalidEventException($"{key} must be an array");
        }

        var ids = new string[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            // Room versions 1 and 2 reference events as [event_id, {hashes}] pairs.
            var idNode = format == EventFormat.V1 ? (array[i] as JsonArray)?.FirstOrDefault() : array[i];
            ids[i] = idNode is JsonValue v && v.TryGetValue<string>(out var id)
                ? id
                : throw new InvalidEventException($"{key} holds an invalid event reference");
        }

        return ids;
    }
}
