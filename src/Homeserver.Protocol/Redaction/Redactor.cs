using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.Redaction;

/// <summary>
/// The redaction algorithm of each room version (rooms/fragments: v1, v6, v9 and v11 redactions): what is left of
/// an event when it is redacted, and what its reference hash and signatures are computed over.
/// </summary>
public static class Redactor
{
    private static readonly FrozenSet<string> TopLevelKeys = Set(
        "event_id", "type", "room_id", "sender", "state_key", "content", "hashes", "signatures", "depth",
        "prev_events", "prev_state", "auth_events", "origin", "origin_server_ts", "membership");

    private static readonly FrozenSet<string> TopLevelKeysV11 = Set(
        "event_id", "type", "room_id", "sender", "state_key", "content", "hashes", "signatures", "depth",
        "prev_events", "auth_events", "origin_server_ts");

    private static readonly string[] PowerLevelKeys =
        ["ban", "events", "events_default", "kick", "redact", "state_default", "users", "users_default"];

    private static readonly string[] PowerLevelKeysV11 =
        ["ban", "events", "events_default", "invite", "kick", "redact", "state_default", "users", "users_default"];

    private static readonly string[] MemberKeys = ["membership"];
    private static readonly string[] MemberKeysV9 = ["membership", "join_authorised_via_users_server"];
    private static readonly string[] CreateKeys = ["creator"];
    private static readonly string[] JoinRulesKeys = ["join_rule"];
    private static readonly string[] JoinRulesKeysV8 = ["join_rule", "allow"];
    private static readonly string[] AliasesKeys = ["aliases"];
    private static readonly string[] HistoryVisibilityKeys = ["history_visibility"];
    private static readonly string[] RedactionKeysV11 = ["redacts"];

    /// <summary>A new object holding what survives redaction; <paramref name="json"/> is not changed.</summary>
    public static JsonObject Redact(JsonObject json, RedactionRules rules)
    {
        var keep = rules.V11Changes ? TopLevelKeysV11 : TopLevelKeys;
        var redacted = new JsonObject();
        foreach (var (key, value) in json)
        {
            if (keep.Contains(key) && key != "content")
            {
                redacted[key] = value?.DeepClone();
            }
        }

        var type = json["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        redacted["content"] = json["content"] is JsonObject content ? RedactContent(type, content, rules) : new JsonObject();
        return redacted;
    }

    private static JsonObject RedactContent(string? type, JsonObject content, RedactionRules rules)
    {
        if (type == EventTypes.Create && rules.V11Changes)
        {
            return (JsonObject)content.DeepClone();
        }

        var kept = new JsonObject();
        foreach (var key in AllowedContentKeys(type, rules))
        {
            if (content.TryGetPropertyValue(key, out var value))
            {
                kept[key] = value?.DeepClone();
            }
        }

        if (type == EventTypes.Member && rules.V11Changes && content["third_party_invite"]?["signed"] is { } signed)
        {
            kept["third_party_invite"] = new JsonObject { ["signed"] = signed.DeepClone() };
        }

        return kept;
    }

    private static string[] AllowedContentKeys(string? type, RedactionRules rules) => type switch
    {
        EventTypes.Member => rules.KeepMemberJoinAuthorisedViaUsersServer ? MemberKeysV9 : MemberKeys,
        EventTypes.Create => CreateKeys,
        EventTypes.JoinRules => rules.KeepJoinRulesAllow ? JoinRulesKeysV8 : JoinRulesKeys,
        EventTypes.PowerLevels => rules.V11Changes ? PowerLevelKeysV11 : PowerLevelKeys,
        EventTypes.Aliases when rules.KeepRoomAliasesAliases => AliasesKeys,
        EventTypes.HistoryVisibility => HistoryVisibilityKeys,
        EventTypes.Redaction when rules.V11Changes => RedactionKeysV11,
        _ => [],
    };

    private static FrozenSet<string> Set(params string[] keys) => keys.ToFrozenSet(StringComparer.Ordinal);
}
