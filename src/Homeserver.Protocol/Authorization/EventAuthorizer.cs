using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;
using Homeserver.Protocol.PowerLevels;
using Homeserver.Protocol.RoomVersions;
using static Homeserver.Protocol.Authorization.AuthEventsContent;

namespace Homeserver.Protocol.Authorization;

/// <summary>
/// The authorisation rules of every room version (rooms/v1.md … v12.md, "Authorisation rules"), in the spec's order:
/// create events; the room ID of v12; <c>m.federate</c>; v1–v5 aliases; membership; sender joined;
/// third-party invites; required power level; state keys of users; power-level changes; v1–v2 redactions.
/// The rules about the <c>auth_events</c> list itself are in <see cref="AuthEventsValidator"/>, and signatures are
/// verified before either.
/// </summary>
public static class EventAuthorizer
{
    private static readonly string[] LevelKeys = ["users_default", "events_default", "state_default", "ban", "redact", "kick", "invite"];

    /// <param name="state">
    /// The room state to check against: the event's auth events, or the state before it. For room version 12 the
    /// create event is looked up here too, though it is never in <c>auth_events</c>.
    /// </param>
    /// <param name="verifyThirdPartySignature">
    /// Whether a third-party invite's <c>signed</c> object carries a valid signature by the given base64 public key;
    /// without it, third-party invites are rejected.
    /// </param>
    public static AuthorizationResult Authorize(RoomVersionRules rules, Pdu pdu, Func<StateKey, Pdu?> state,
        Func<JsonObject, string, bool>? verifyThirdPartySignature = null)
    {
        var auth = rules.Authorization;
        if (pdu.Type == EventTypes.Create)
        {
            return AuthorizeCreate(rules, pdu);
        }

        var create = state(new StateKey(EventTypes.Create, ""));
        if (create is null)
        {
            return AuthorizationResult.Reject("the room has no create event");
        }

        if (auth.RoomCreateEventIdAsRoomId && pdu.RoomId != "!" + create.EventId[1..])
        {
            return AuthorizationResult.Reject("the room ID is not derived from the create event");
        }

        if (create.Content["m.federate"] is JsonValue federate && federate.TryGetValue<bool>(out var federates) && !federates
            && Domain(pdu.Sender) != Domain(create.Sender))
        {
            return AuthorizationResult.Reject("the room does not federate");
        }

        if (auth.SpecialCaseAliasesAuth && pdu.Type == EventTypes.Aliases)
        {
            return pdu.StateKey is null
                ? AuthorizationResult.Reject("an aliases event needs a state key")
                : AuthorizationResult.AllowIf(Domain(pdu.Sender) == pdu.StateKey, "aliases may only be set for the sender's server");
        }

        var powerLevels = RoomPowerLevels.From(state(new StateKey(EventTypes.PowerLevels, "")), create, rules);
        if (pdu.Type == EventTypes.Member)
        {
            return AuthorizeMember(rules, pdu, create, powerLevels, state, verifyThirdPartySignature);
        }

        if (Membership(state(new StateKey(EventTypes.Member, pdu.Sender))) != Memberships.Join)
        {
            return AuthorizationResult.Reject("the sender is not in the room");
        }

        var senderLevel = powerLevels.UserLevel(pdu.Sender);
        if (pdu.Type == EventTypes.ThirdPartyInvite)
        {
            return AuthorizationResult.AllowIf(senderLevel >= powerLevels.Invite, "the sender may not invite");
        }

        if (powerLevels.RequiredForEvent(pdu.Type, pdu.IsState) > senderLevel)
        {
            return AuthorizationResult.Reject($"the sender's power level is too low for {pdu.Type}");
        }

        if (pdu.StateKey is { } key && key.StartsWith('@') && key != pdu.Sender)
        {
            return AuthorizationResult.Reject("a state key that is a user ID must be the sender's");
        }

        if (pdu.Type == EventTypes.PowerLevels)
        {
            return AuthorizePowerLevels(rules, pdu, create, state(new StateKey(EventTypes.PowerLevels, "")), senderLevel);
        }

        if (auth.RedactionSameServerCheck && pdu.Type == EventTypes.Redaction)
        {
            return AuthorizationResult.AllowIf(
                senderLevel >= powerLevels.Redact || (pdu.Redacts is { } redacts && Domain(redacts) == Domain(pdu.EventId)),
                "the sender may not redact that event");
        }

        return AuthorizationResult.Allowed;
    }

    private static AuthorizationResult AuthorizeCreate(RoomVersionRules rules, Pdu pdu)
    {
        var auth = rules.Authorization;
        if (pdu.PrevEvents.Count > 0)
        {
            return AuthorizationResult.Reject("a create event has no prev_events");
        }

        if (auth.RoomCreateEventIdAsRoomId)
        {
            if (pdu.RoomId is not null)
            {
                return AuthorizationResult.Reject("a room version 12 create event has no room_id");
            }
        }
        else if (pdu.RoomId is null || Domain(pdu.RoomId) != Domain(pdu.Sender))
        {
            return AuthorizationResult.Reject("the room ID's server is not the sender's");
        }

        if (pdu.Content.TryGetPropertyValue("room_version", out var version)
            && !(version is JsonValue v && v.TryGetValue<string>(out var id) && RoomVersions.RoomVersions.TryGet(id, out _)))
        {
            return AuthorizationResult.Reject("unknown room version");
        }

        if (auth.ExplicitlyPrivilegeRoomCreators && pdu.Content.TryGetPropertyValue("additional_creators", out var additional)
            && !(additional is JsonArray list && list.All(u => u is JsonValue uv && uv.TryGetValue<string>(out var user) && UserId.TryParse(user, out _))))
        {
            return AuthorizationResult.Reject("additional_creators must be a list of user IDs");
        }

        return AuthorizationResult.AllowIf(auth.UseRoomCreateSender || String(pdu.Content, "creator") is not null, "a create event needs a creator");
    }

    private static AuthorizationResult AuthorizeMember(RoomVersionRules rules, Pdu pdu, Pdu create, RoomPowerLevels powerLevels,
        Func<StateKey, Pdu?> state, Func<JsonObject, string, bool>? verifyThirdPartySignature)
    {
        var auth = rules.Authorization;
        var membership = String(pdu.Content, "membership");
        if (pdu.StateKey is not { } target || membership is null)
        {
            return AuthorizationResult.Reject("a member event needs a state key and a membership");
        }

        var authoriser = auth.RestrictedJoinRule ? String(pdu.Content, "join_authorised_via_users_server") : null;
        if (authoriser is not null && pdu.Json["signatures"]?[Domain(authoriser)] is not JsonObject)
        {
            // The signature itself was verified with the others (EventSignatureVerifier requires this server's).
            return AuthorizationResult.Reject("the join is not signed by the authorising server");
        }

        var senderMembership = Membership(state(new StateKey(EventTypes.Member, pdu.Sender)));
        var targetMembership = Membership(state(new StateKey(EventTypes.Member, target)));
        var joinRule = state(new StateKey(EventTypes.JoinRules, "")) is { } rulesEvent ? String(rulesEvent.Content, "join_rule") ?? "invite" : "invite";
        var senderLevel = powerLevels.UserLevel(pdu.Sender);
        var targetLevel = powerLevels.UserLevel(target);
        var canKnock = joinRule == "knock" && auth.Knocking || joinRule == "knock_restricted" && auth.KnockRestrictedJoinRule;

        switch (membership)
        {
            case Memberships.Join:
                var creators = RoomPowerLevels.Creators(create, rules);
                if (pdu.PrevEvents.Count == 1 && pdu.PrevEvents[0] == create.EventId && creators.Contains(target))
                {
                    return AuthorizationResult.Allowed;
                }

                if (pdu.Sender != target)
                {
                    return AuthorizationResult.Reject("users can only join themselves");
                }

                if (senderMembership == Memberships.Ban)
                {
                    return AuthorizationResult.Reject("the user is banned");
                }

                if (joinRule == "invite" || joinRule == "knock" && auth.Knocking)
                {
                    return AuthorizationResult.AllowIf(senderMembership is Memberships.Invite or Memberships.Join, "the room is invite-only");
                }

                if (joinRule == "restricted" && auth.RestrictedJoinRule || joinRule == "knock_restricted" && auth.KnockRestrictedJoinRule)
                {
                    if (senderMembership is Memberships.Invite or Memberships.Join)
                    {
                        return AuthorizationResult.Allowed;
                    }

                    return AuthorizationResult.AllowIf(
                        authoriser is not null
                        && Membership(state(new StateKey(EventTypes.Member, authoriser))) == Memberships.Join
                        && powerLevels.UserLevel(authoriser) >= powerLevels.Invite,
                        "the join is not authorised by a member who may invite");
                }

                return AuthorizationResult.AllowIf(joinRule == "public", "the room is not public");

            case Memberships.Invite:
                if (pdu.Content["third_party_invite"] is { } thirdParty)
                {
                    return AuthorizeThirdPartyInvite(pdu, target, targetMembership, thirdParty, state, verifyThirdPartySignature);
                }

                if (senderMembership != Memberships.Join)
                {
                    return AuthorizationResult.Reject("the sender is not in the room");
                }

                if (targetMembership is Memberships.Join or Memberships.Ban)
                {
                    return AuthorizationResult.Reject("the user is already joined or banned");
                }

                return AuthorizationResult.AllowIf(senderLevel >= powerLevels.Invite, "the sender may not invite");

            case Memberships.Leave:
                if (pdu.Sender == target)
                {
                    return AuthorizationResult.AllowIf(
                        senderMembership is Memberships.Invite or Memberships.Join || senderMembership == Memberships.Knock && auth.Knocking,
                        "the user is not in the room");
                }

                if (senderMembership != Memberships.Join)
                {
                    return AuthorizationResult.Reject("the sender is not in the room");
                }

                if (targetMembership == Memberships.Ban && senderLevel < powerLevels.Ban)
                {
                    return AuthorizationResult.Reject("the sender may not unban");
                }

                return AuthorizationResult.AllowIf(senderLevel >= powerLevels.Kick && targetLevel < senderLevel, "the sender may not kick that user");

            case Memberships.Ban:
                if (senderMembership != Memberships.Join)
                {
                    return AuthorizationResult.Reject("the sender is not in the room");
                }

                return AuthorizationResult.AllowIf(senderLevel >= powerLevels.Ban && targetLevel < senderLevel, "the sender may not ban that user");

            case Memberships.Knock when auth.Knocking:
                if (!canKnock)
                {
                    return AuthorizationResult.Reject("the room does not accept knocks");
                }

                if (pdu.Sender != target)
                {
                    return AuthorizationResult.Reject("users can only knock for themselves");
                }

                return AuthorizationResult.AllowIf(
                    senderMembership is not (Memberships.Ban or Memberships.Invite or Memberships.Join),
                    "the user is banned, invited or joined already");

            default:
                return AuthorizationResult.Reject($"unknown membership '{membership}'");
        }
    }

    private static AuthorizationResult AuthorizeThirdPartyInvite(Pdu pdu, string target, string targetMembership, JsonNode thirdParty,
        Func<StateKey, Pdu?> state, Func<JsonObject, string, bool>? verifySignature)
    {
        if (targetMembership == Memberships.Ban)
        {
            return AuthorizationResult.Reject("the user is banned");
        }

        if (thirdParty["signed"] is not JsonObject signed || String(signed, "mxid") is not { } mxid || String(signed, "token") is not { } token)
        {
            return AuthorizationResult.Reject("the third-party invite has no signed mxid and token");
        }

        if (mxid != target)
        {
            return AuthorizationResult.Reject("the third-party invite is for another user");
        }

        var invite = state(new StateKey(EventTypes.ThirdPartyInvite, token));
        if (invite is null || invite.Sender != pdu.Sender)
        {
            return AuthorizationResult.Reject("no matching third-party invite from the sender");
        }

        var keys = new List<string>();
        if (String(invite.Content, "public_key") is { } single)
        {
            keys.Add(single);
        }

        if (invite.Content["public_keys"] is JsonArray list)
        {
            keys.AddRange(list.Select(k => k is JsonObject o ? String(o, "public_key") : null).OfType<string>());
        }

        return AuthorizationResult.AllowIf(
            verifySignature is not null && keys.Any(key => verifySignature(signed, key)),
            "the third-party invite's signature does not match");
    }

    private static AuthorizationResult AuthorizePowerLevels(RoomVersionRules rules, Pdu pdu, Pdu create, Pdu? current, long senderLevel)
    {
        var auth = rules.Authorization;
        var content = pdu.Content;
        if (auth.IntegerPowerLevels)
        {
            foreach (var key in LevelKeys)
            {
                if (content.TryGetPropertyValue(key, out var value) && !PowerLevelValue.TryRead(value, integersOnly: true, out _))
                {
                    return AuthorizationResult.Reject($"{key} must be an integer");
                }
            }

            foreach (var key in (string[])["events", "notifications"])
            {
                if (content.TryGetPropertyValue(key, out var value) && !IsLevelMap(value, integersOnly: true))
                {
                    return AuthorizationResult.Reject($"{key} must map to integers");
                }
            }
        }

        if (content.TryGetPropertyValue("users", out var users)
            && !(IsLevelMap(users, auth.IntegerPowerLevels) && users!.AsObject().All(u => UserId.TryParse(u.Key, out _))))
        {
            return AuthorizationResult.Reject("users must map user IDs to integers");
        }

        if (auth.ExplicitlyPrivilegeRoomCreators && users is JsonObject userLevels
            && RoomPowerLevels.Creators(create, rules).Any(userLevels.ContainsKey))
        {
            return AuthorizationResult.Reject("room creators cannot be given a power level");
        }

        if (current is null)
        {
            return AuthorizationResult.Allowed;
        }

        var integersOnly = auth.IntegerPowerLevels;
        foreach (var key in LevelKeys)
        {
            if (Changed(current.Content[key], content[key], integersOnly, senderLevel, out var reason))
            {
                return AuthorizationResult.Reject($"{key}: {reason}");
            }
        }

        var maps = auth.LimitNotificationsPowerLevels ? (string[])["events", "notifications"] : ["events"];
        foreach (var map in maps)
        {
            var before = current.Content[map] as JsonObject;
            var after = content[map] as JsonObject;
            foreach (var key in Keys(before, after))
            {
                if (Changed(before?[key], after?[key], integersOnly, senderLevel, out var reason))
                {
                    return AuthorizationResult.Reject($"{map}.{key}: {reason}");
                }
            }
        }

        var usersBefore = current.Content["users"] as JsonObject;
        var usersAfter = content["users"] as JsonObject;
        foreach (var user in Keys(usersBefore, usersAfter))
        {
            var hadLevel = PowerLevelValue.TryRead(usersBefore?[user], integersOnly, out var old);
            var hasLevel = PowerLevelValue.TryRead(usersAfter?[user], integersOnly, out var updated);
            if (hadLevel == hasLevel && old == updated)
            {
                continue;
            }

            if (hadLevel && user != pdu.Sender && old >= senderLevel)
            {
                return AuthorizationResult.Reject($"users.{user}: the sender cannot change a level at or above its own");
            }

            if (hasLevel && updated > senderLevel)
            {
                return AuthorizationResult.Reject($"users.{user}: the sender cannot grant more than its own level");
            }
        }

        return AuthorizationResult.Allowed;
    }

    /// <summary>For a value added, changed or removed: neither the old nor the new value may exceed the sender's level.</summary>
    private static bool Changed(JsonNode? before, JsonNode? after, bool integersOnly, long senderLevel, out string reason)
    {
        var hadValue = PowerLevelValue.TryRead(before, integersOnly, out var old);
        var hasValue = PowerLevelValue.TryRead(after, integersOnly, out var updated);
        reason = string.Empty;
        if (hadValue == hasValue && old == updated)
        {
            return false;
        }

        if (hadValue && old > senderLevel)
        {
            reason = "the current value is above the sender's level";
            return true;
        }

        if (hasValue && updated > senderLevel)
        {
            reason = "the new value is above the sender's level";
            return true;
        }

        return false;
    }

    private static bool IsLevelMap(JsonNode? node, bool integersOnly) =>
        node is JsonObject obj && obj.All(entry => PowerLevelValue.TryRead(entry.Value, integersOnly, out _));

    private static IEnumerable<string> Keys(JsonObject? before, JsonObject? after) =>
        (before?.Select(e => e.Key) ?? []).Union(after?.Select(e => e.Key) ?? [], StringComparer.Ordinal);
}
