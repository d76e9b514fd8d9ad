using System.Text.Json;
using System.Text.Json.Nodes;

namespace Homeserver.Core.Push;

/// <summary>The server-default push rules of the spec (client-server API, "Predefined Rules", as of v1.17).</summary>
public static class DefaultPushRules
{
    private const string UserPlaceholder = "@@USER@@";

    private const string Master = """
        {"rule_id":".m.rule.master","default":true,"enabled":false,"conditions":[],"actions":[]}
        """;

    private const string Override = """
        [
          {"rule_id":".m.rule.suppress_notices","default":true,"enabled":true,
           "conditions":[{"kind":"event_match","key":"content.msgtype","pattern":"m.notice"}],"actions":[]},
          {"rule_id":".m.rule.invite_for_me","default":true,"enabled":true,
           "conditions":[{"key":"type","kind":"event_match","pattern":"m.room.member"},
                         {"key":"content.membership","kind":"event_match","pattern":"invite"},
                         {"key":"state_key","kind":"event_match","pattern":"@@USER@@"}],
           "actions":["notify",{"set_tweak":"sound","value":"default"}]},
          {"rule_id":".m.rule.member_event","default":true,"enabled":true,
           "conditions":[{"key":"type","kind":"event_match","pattern":"m.room.member"}],"actions":[]},
          {"rule_id":".m.rule.is_user_mention","default":true,"enabled":true,
           "conditions":[{"kind":"event_property_contains","key":"content.m\\.mentions.user_ids","value":"@@USER@@"}],
           "actions":["notify",{"set_tweak":"sound","value":"default"},{"set_tweak":"highlight"}]},
          {"rule_id":".m.rule.is_room_mention","default":true,"enabled":true,
           "conditions":[{"kind":"event_property_is","key":"content.m\\.mentions.room","value":true},
                         {"kind":"sender_notification_permission","key":"room"}],
           "actions":["notify",{"set_tweak":"highlight"}]},
          {"rule_id":".m.rule.tombstone","default":true,"enabled":true,
           "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.tombstone"},
                         {"kind":"event_match","key":"state_key","pattern":""}],
           "actions":["notify",{"set_tweak":"highlight"}]},
          {"rule_id":".m.rule.reaction","default":true,"enabled":true,
           "conditions":[{"kind":"event_match","key":"type","pattern":"m.reaction"}],"actions":[]},
          {"rule_id":".m.rule.room.server_acl","default":true,"enabled":true,
           "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.server_acl"},
                         {"kind":"event_match","key":"state_key","pattern":""}],"actions":[]},
          {"rule_id":".m.rule.suppress_edits","default":true,"enabled":true,
           "conditions":[{"kind":"event_property_is","key":"content.m\\.relates_to.rel_type","value":"m.replace"}],"actions":[]}
        ]
        """;

    private const string Underride = """
        [
          {"rule_id":".m.rule.call","default":true,"enabled":true,
           "conditions":[{"key":"type","kind":"event_match","pattern":"m.call.invite"}],
           "actions":["notify",{"set_tweak":"sound","value":"ring"}]},
          {"rule_id":".m.rule.encrypted_room_one_to_one","default":true,"enabled":true,
           "conditions":[{"kind":"room_member_count","is":"2"},{"kind":"event_match","key":"type","pattern":"m.room.encrypted"}],
           "actions":["notify",{"set_tweak":"sound","value":"default"}]},
          {"rule_id":".m.rule.room_one_to_one","default":true,"enabled":true,
           "conditions":[{"kind":"room_member_count","is":"2"},{"kind":"event_match","key":"type","pattern":"m.room.message"}],
           "actions":["notify",{"set_tweak":"sound","value":"default"}]},
          {"rule_id":".m.rule.message","default":true,"enabled":true,
           "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.message"}],"actions":["notify"]},
          {"rule_id":".m.rule.encrypted","default":true,"enabled":true,
           "conditions":[{"kind":"event_match","key":"type","pattern":"m.room.encrypted"}],"actions":["notify"]}
        ]
        """;

    /// <summary>The <c>.m.rule.master</c> rule, which comes before every other rule, user-defined ones included.</summary>
    public static JsonObject MasterRule() => JsonNode.Parse(Master)!.AsObject();

    /// <summary>The other default rules of a kind, with the user's ID where the spec says "[the user's Matrix ID]".</summary>
    public static JsonArray For(string kind, string userId) => kind switch
    {
        PushRuleKinds.Override => Parse(Override, userId),
        PushRuleKinds.Underride => Parse(Underride, userId),
        _ => [],
    };

    private static JsonArray Parse(string template, string userId)
    {
        // The user ID goes into JSON strings: escape it as one (without the surrounding quotes).
        var escaped = JsonSerializer.Serialize(userId)[1..^1];
        return JsonNode.Parse(template.Replace(UserPlaceholder, escaped, StringComparison.Ordinal))!.AsArray();
    }
}
