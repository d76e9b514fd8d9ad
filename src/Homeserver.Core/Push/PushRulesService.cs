using System.Text.Json.Nodes;
using Homeserver.Core.AccountData;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Protocol.Errors;

namespace Homeserver.Core.Push;

/// <summary>
/// Push rules (client-server API, "Push Rules: API"): the server-default rules merged with each user's own rules
/// and their changes to the defaults (enabled, actions), kept in private account data.
/// </summary>
public sealed class PushRulesService(IAccountDataStore store)
{
    /// <summary>The account data type of a user's changes; clients cannot write it through the account-data API.</summary>
    public const string ChangesType = "homeserver.push_rule_changes";

    public async Task<JsonObject> GetRulesetAsync(Session session, CancellationToken cancellationToken) =>
        new() { ["global"] = Ruleset(session.UserId, await LoadAsync(session, cancellationToken)) };

    public async Task<JsonObject> GetRuleAsync(Session session, string kind, string ruleId, CancellationToken cancellationToken) =>
        (JsonObject)Find(Ruleset(session.UserId, await LoadAsync(session, cancellationToken)), kind, ruleId).DeepClone();

    public async Task SetRuleAsync(Session session, string kind, string ruleId, JsonObject body, string? before, string? after, CancellationToken cancellationToken)
    {
        CheckKind(kind);
        if (ruleId.StartsWith('.'))
        {
            throw MatrixException.InvalidParam("Server-default rules cannot be replaced; change their actions or enabled state instead");
        }

        var rule = new JsonObject
        {
            ["rule_id"] = ruleId,
            ["default"] = false,
            ["enabled"] = true,
            ["actions"] = body["actions"] is JsonArray actions ? actions.DeepClone() : throw MatrixException.BadJson("actions must be a list"),
        };
        switch (kind)
        {
            case PushRuleKinds.Content:
                rule["pattern"] = body["pattern"] is JsonValue p && p.TryGetValue<string>(out var pattern) ? pattern : throw MatrixException.MissingParam("A content rule needs a pattern");
                break;
            case PushRuleKinds.Override or PushRuleKinds.Underride:
                rule["conditions"] = body["conditions"] switch
                {
                    null => new JsonArray(),
                    JsonArray conditions when conditions.All(c => c is JsonObject) => conditions.DeepClone(),
                    _ => throw MatrixException.BadJson("conditions must be a list of objects"),
                };
                break;
        }

        var changes = await LoadAsync(session, cancellationToken);
        var rules = UserRules(changes, kind);
        var existing = IndexOf(rules, ruleId);
        if (existing >= 0)
        {
            rules.RemoveAt(existing);
        }

        var anchor = before ?? after;
        var position = anchor is null ? (existing >= 0 ? existing : 0) : IndexOf(rules, anchor);
        if (position < 0)
        {
            throw new MatrixException(ErrorCode.Unknown, 400, $"before/after rule not found: {anchor}");
        }

        rules.Insert(after is not null && before is null ? position + 1 : position, rule);
        await SaveAsync(session, changes, cancellationToken);
    }

    public async Task DeleteRuleAsync(Session session, string kind, string ruleId, CancellationToken cancellationToken)
    {
        CheckKind(kind);
        var changes = await LoadAsync(session, cancellationToken);
        var rules = UserRules(changes, kind);
        var index = IndexOf(rules, ruleId);
        if (index < 0)
        {
            throw ruleId.StartsWith('.') ? MatrixException.InvalidParam("Server-default rules cannot be deleted") : NotFound(ruleId);
        }

        rules.RemoveAt(index);
        await SaveAsync(session, changes, cancellationToken);
    }

    /// <summary>Sets <c>enabled</c> or <c>actions</c> of a user rule or of a server-default one.</summary>
    public async Task SetAttributeAsync(Session session, string kind, string ruleId, string attribute, JsonNode? value, CancellationToken cancellationToken)
    {
        var valid = attribute switch
        {
            "enabled" => value is JsonValue v && v.TryGetValue<bool>(out _),
            "actions" => value is JsonArray,
            _ => throw MatrixException.InvalidParam($"Unknown push rule attribute '{attribute}'"),
        };
        if (!valid)
        {
            throw MatrixException.BadJson(attribute == "enabled" ? "enabled must be a boolean" : "actions must be a list");
        }

        var changes = await LoadAsync(session, cancellationToken);
        Find(Ruleset(session.UserId, changes), kind, ruleId);
        var userRules = UserRules(changes, kind);
        var index = IndexOf(userRules, ruleId);
        var target = index >= 0 ? userRules[index]!.AsObject() : DefaultChanges(changes, ruleId);
        target[attribute] = value!.DeepClone();
        await SaveAsync(session, changes, cancellationToken);
    }

    private static JsonObject Ruleset(string userId, JsonObject changes)
    {
        var ruleset = new JsonObject();
        foreach (var kind in PushRuleKinds.All)
        {
            var rules = new JsonArray();
            if (kind == PushRuleKinds.Override)
            {
                rules.Add(ApplyDefaultChanges(DefaultPushRules.MasterRule(), changes));
            }

            foreach (var rule in UserRules(changes, kind))
            {
                rules.Add(rule!.DeepClone());
            }

            foreach (var rule in DefaultPushRules.For(kind, userId).ToList())
            {
                rules.Add(ApplyDefaultChanges(rule!.DeepClone().AsObject(), changes));
            }

            ruleset[kind] = rules;
        }

        return ruleset;
    }

    private static JsonObject ApplyDefaultChanges(JsonObject rule, JsonObject changes)
    {
        if (changes["defaults"]?[(string)rule["rule_id"]!] is JsonObject changed)
        {
            foreach (var (key, value) in changed)
            {
                rule[key] = value?.DeepClone();
            }
        }

        return rule;
    }

    private static JsonNode Find(JsonObject ruleset, string kind, string ruleId)
    {
        CheckKind(kind);
        return ruleset[kind]!.AsArray().FirstOrDefault(r => (string?)r!["rule_id"] == ruleId) ?? throw NotFound(ruleId);
    }

    private static JsonArray UserRules(JsonObject changes, string kind)
    {
        if (changes["rules"] is not JsonObject rules)
        {
            changes["rules"] = rules = [];
        }

        if (rules[kind] is not JsonArray list)
        {
            rules[kind] = list = [];
        }

        return list;
    }

    private static JsonObject DefaultChanges(JsonObject changes, string ruleId)
    {
        if (changes["defaults"] is not JsonObject defaults)
        {
            changes["defaults"] = defaults = [];
        }

        if (defaults[ruleId] is not JsonObject changed)
        {
            defaults[ruleId] = changed = [];
        }

        return changed;
    }

    private static int IndexOf(JsonArray rules, string ruleId)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if ((string?)rules[i]!["rule_id"] == ruleId)
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckKind(string kind)
    {
        if (!PushRuleKinds.All.Contains(kind))
        {
            throw MatrixException.InvalidParam($"Unknown push rule kind '{kind}'");
        }
    }

    private static MatrixException NotFound(string ruleId) => MatrixException.NotFound($"No push rule {ruleId}");

    private async Task<JsonObject> LoadAsync(Session session, CancellationToken cancellationToken) =>
        await store.GetAsync(session.UserId, null, ChangesType, cancellationToken) is { } json ? JsonNode.Parse(json)!.AsObject() : [];

    private Task<long> SaveAsync(Session session, JsonObject changes, CancellationToken cancellationToken) =>
        store.SetAsync(session.UserId, null, ChangesType, changes.ToJsonString(), cancellationToken);
}
