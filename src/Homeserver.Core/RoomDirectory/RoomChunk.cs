using System.Text.Json.Nodes;
using Homeserver.Core.Rooms;
using Homeserver.Protocol.Events;

namespace Homeserver.Core.RoomDirectory;

/// <summary>A room as the room directory and space hierarchies describe it (the spec's <c>PublishedRoomsChunk</c>).</summary>
public static class RoomChunk
{
    /// <summary>The state types the chunk is made from.</summary>
    public static IReadOnlyList<string> StateTypes { get; } =
    [
        EventTypes.Create, EventTypes.Name, EventTypes.Topic, EventTypes.CanonicalAlias, EventTypes.Avatar, EventTypes.JoinRules,
        EventTypes.HistoryVisibility, EventTypes.GuestAccess,
    ];

    private static readonly (string Field, string Type, string Key)[] Optional =
    [
        ("name", EventTypes.Name, "name"), ("topic", EventTypes.Topic, "topic"), ("canonical_alias", EventTypes.CanonicalAlias, "alias"),
        ("avatar_url", EventTypes.Avatar, "url"), ("join_rule", EventTypes.JoinRules, "join_rule"), ("room_type", EventTypes.Create, "type"),
    ];

    public static JsonObject From(RoomListing room)
    {
        var state = room.State.Where(e => e.StateKey == "")
            .GroupBy(e => e.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => JsonNode.Parse(g.First().Json)?["content"] as JsonObject ?? [], StringComparer.Ordinal);
        string? Field(string type, string key) =>
            state.TryGetValue(type, out var content) && content[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        var chunk = new JsonObject
        {
            ["room_id"] = room.RoomId,
            ["num_joined_members"] = room.JoinedMembers,
            ["world_readable"] = Field(EventTypes.HistoryVisibility, "history_visibility") == HistoryVisibility.WorldReadable,
            ["guest_can_join"] = Field(EventTypes.GuestAccess, "guest_access") == "can_join",
        };
        foreach (var (field, type, key) in Optional)
        {
            if (Field(type, key) is { Length: > 0 } value)
            {
                chunk[field] = value;
            }
        }

        return chunk;
    }
}
