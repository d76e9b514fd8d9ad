using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.RoomDirectory;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms;

/// <summary><c>POST /createRoom</c> (client-server API, "Creation"): the initial events in the spec's order.</summary>
public sealed class RoomCreationService(RoomEventWriter writer, MembershipService memberships, RoomAliasService aliases, ServerIdentity server)
{
    public async Task<string> CreateAsync(Session session, JsonObject body, CancellationToken cancellationToken)
    {
        var rules = RoomVersion(body);
        var visibility = OptionalString(body, "visibility") ?? "private";
        if (visibility is not ("public" or "private"))
        {
            throw MatrixException.InvalidParam("visibility is public or private");
        }

        var preset = OptionalString(body, "preset") ?? (visibility == "public" ? "public_chat" : "private_chat");
        if (preset is not ("public_chat" or "private_chat" or "trusted_private_chat"))
        {
            throw MatrixException.InvalidParam($"Unknown preset {preset}");
        }

        var invites = Invites(body);
        string? alias = null;
        if (OptionalString(body, "room_alias_name") is { } aliasName)
        {
            alias = $"#{aliasName}:{server.ServerName}";
            if (!RoomAlias.TryParse(alias, out _) || aliasName.Contains(':', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(aliasName))
            {
                throw MatrixException.InvalidParam("room_alias_name is not a valid alias localpart");
            }

            if (await aliases.ResolveLocalAsync(alias, cancellationToken) is not null)
            {
                throw new MatrixException(ErrorCode.RoomInUse, 400, "The room alias is already taken");
            }
        }

        var creator = session.UserId;
        var drafts = new List<EventDraft>();
        var createContent = Object(body, "creation_content") ?? [];
        createContent["room_version"] = rules.Id;
        if (!rules.Authorization.UseRoomCreateSender)
        {
            createContent["creator"] = creator;
        }

        drafts.Add(State(EventTypes.Create, "", creator, createContent));
        var member = await memberships.MemberContentAsync(creator, Memberships.Join, cancellationToken);
        drafts.Add(State(EventTypes.Member, creator, creator, member));
        drafts.Add(State(EventTypes.PowerLevels, "", creator, PowerLevels(body, rules, creator, preset, invites)));
        if (alias is not null)
        {
            drafts.Add(State(EventTypes.CanonicalAlias, "", creator, new JsonObject { ["alias"] = alias }));
        }

        var initial = new Dictionary<StateKey, EventDraft>
        {
            [new StateKey(EventTypes.JoinRules, "")] = State(EventTypes.JoinRules, "", creator, new JsonObject { ["join_rule"] = preset == "public_chat" ? "public" : "invite" }),
            [new StateKey(EventTypes.HistoryVisibility, "")] = State(EventTypes.HistoryVisibility, "", creator, new JsonObject { ["history_visibility"] = "shared" }),
        };
        if (preset != "public_chat")
        {
            initial[new StateKey(EventTypes.GuestAccess, "")] = State(EventTypes.GuestAccess, "", creator, new JsonObject { ["guest_access"] = "can_join" });
        }

        foreach (var node in Array(body, "initial_state"))
        {
            if (node is not JsonObject state || OptionalString(state, "type") is not { } type || state["content"] is not JsonObject content)
            {
                throw MatrixException.BadJson("Each initial_state entry needs a type and a content object");
            }

            var stateKey = OptionalString(state, "state_key") ?? "";
            if (type is EventTypes.Create or EventTypes.Member or EventTypes.PowerLevels)
            {
                throw MatrixException.BadJson($"{type} cannot be set through initial_state");
            }

            initial[new StateKey(type, stateKey)] = State(type, stateKey, creator, (JsonObject)content.DeepClone());
        }

        drafts.AddRange(initial.Values);
        if (OptionalString(body, "name") is { } name)
        {
            drafts.Add(State(EventTypes.Name, "", creator, new JsonObject { ["name"] = name }));
        }

        if (OptionalString(body, "topic") is { } topic)
        {
            drafts.Add(State(EventTypes.Topic, "", creator, new JsonObject { ["topic"] = topic }));
        }

        var created = await writer.CreateRoomAsync(rules, drafts, cancellationToken);
        if (alias is not null)
        {
            await aliases.CreateLocalAsync(alias, created.RoomId, creator, cancellationToken);
        }

        if (visibility == "public")
        {
            await aliases.SetVisibilityAsync(created.RoomId, isPublic: true, cancellationToken);
        }

        var isDirect = body["is_direct"] is JsonValue direct && direct.TryGetValue<bool>(out var d) && d;
        foreach (var invitee in invites)
        {
            await memberships.InviteAsync(session, created.RoomId, invitee, reason: null, isDirect, cancellationToken);
        }

        return created.RoomId;
    }

    private static RoomVersionRules RoomVersion(JsonObject body)
    {
        var version = OptionalString(body, "room_version");
        if (version is null)
        {
            return RoomVersions.Default;
        }

        return RoomVersions.TryGet(version, out var rules)
            ? rules
            : throw new MatrixException(ErrorCode.UnsupportedRoomVersion, 400, $"Room version {version} is not supported");
    }

    private static List<string> Invites(JsonObject body)
    {
        var invites = new List<string>();
        foreach (var node in Array(body, "invite"))
        {
            if (node is not JsonValue v || !v.TryGetValue<string>(out var userId) || !UserId.TryParse(userId, out _))
            {
                throw MatrixException.InvalidParam("invite holds user IDs");
            }

            invites.Add(userId);
        }

        return invites;
    }

    private static JsonObject PowerLevels(JsonObject body, RoomVersionRules rules, string creator, string preset, List<string> invites)
    {
        var users = new JsonObject();
        if (!rules.Authorization.ExplicitlyPrivilegeRoomCreators)
        {
            users[creator] = 100;
        }

        if (preset == "trusted_private_chat")
        {
            foreach (var invitee in invites)
            {
                users[invitee] = 100;
            }
        }

        var content = new JsonObject
        {
            ["users"] = users,
            ["users_default"] = 0,
            ["events"] = new JsonObject
            {
                [EventTypes.Name] = 50,
                [EventTypes.PowerLevels] = 100,
                [EventTypes.HistoryVisibility] = 100,
                [EventTypes.CanonicalAlias] = 50,
                [EventTypes.Avatar] = 50,
                [EventTypes.Tombstone] = 100,
                [EventTypes.ServerAcl] = 100,
                [EventTypes.Encryption] = 100,
            },
            ["events_default"] = 0,
            ["state_default"] = 50,
            ["ban"] = 50,
            ["kick"] = 50,
            ["redact"] = 50,
            ["invite"] = 0,
        };
        if (Object(body, "power_level_content_override") is { } overrides)
        {
            foreach (var (key, value) in overrides)
            {
                content[key] = value?.DeepClone();
            }
        }

        return content;
    }

    private static EventDraft State(string type, string stateKey, string sender, JsonObject content) => new(null, type, stateKey, sender, content);

    private static string? OptionalString(JsonObject body, string key) => body[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw MatrixException.BadJson($"{key} must be a string"),
    };

    private static JsonObject? Object(JsonObject body, string key) => body[key] switch
    {
        null => null,
        JsonObject o => (JsonObject)o.DeepClone(),
        _ => throw MatrixException.BadJson($"{key} must be an object"),
    };

    private static JsonArray Array(JsonObject body, string key) => body[key] switch
    {
        null => [],
        JsonArray a => a,
        _ => throw MatrixException.BadJson($"{key} must be an array"),
    };
}
