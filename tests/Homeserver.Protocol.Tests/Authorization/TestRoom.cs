using System.Text.Json.Nodes;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.Tests.Authorization;

/// <summary>
/// A room built one event per line for auth-rule tests: each accepted event becomes state; <see cref="Check"/>
/// authorises a candidate against the current state, as a server does for its own events.
/// </summary>
internal sealed class TestRoom
{
    private readonly Dictionary<StateKey, Pdu> _state = [];
    private int _counter;
    private string? _lastEventId;

    public TestRoom(string version, string creator = "@creator:a.example", JsonObject? createContent = null)
    {
        Rules = RoomVersions.RoomVersions.All[version];
        var content = createContent ?? [];
        if (!Rules.Authorization.UseRoomCreateSender)
        {
            content["creator"] = creator;
        }

        var create = Build(EventTypes.Create, creator, content, "", roomId: Rules.Authorization.RoomCreateEventIdAsRoomId ? null : "!room:a.example", prev: []);
        RoomId = create.RoomId ?? "!" + create.EventId[1..];
        Accept(create);
        Accept(Member(creator, creator, "join"));
    }

    public RoomVersionRules Rules { get; }

    public string RoomId { get; }

    public Pdu Create => _state[new StateKey(EventTypes.Create, "")];

    public Pdu Member(string sender, string target, string membership, JsonObject? extra = null)
    {
        var content = extra ?? [];
        content["membership"] = membership;
        return Event(EventTypes.Member, sender, content, target);
    }

    public Pdu Event(string type, string sender, JsonObject content, string? stateKey = null) =>
        Build(type, sender, content, stateKey, RoomId, _lastEventId is null ? [] : [_lastEventId]);

    public AuthorizationResult Check(Pdu pdu, Func<JsonObject, string, bool>? verify = null) =>
        EventAuthorizer.Authorize(Rules, pdu, key => _state.GetValueOrDefault(key), verify);

    /// <summary>Checks the event and, when allowed, makes it part of the room.</summary>
    public AuthorizationResult Send(Pdu pdu)
    {
        var result = Check(pdu);
        if (result.IsAllowed)
        {
            Accept(pdu);
        }

        return result;
    }

    /// <summary>Sends an event that the test's setup needs and fails the test if it is refused.</summary>
    public TestRoom Do(Pdu pdu)
    {
        var result = Send(pdu);
        Assert.True(result.IsAllowed, result.Reason);
        return this;
    }

    public TestRoom Join(string user) => Do(Member(user, user, "join"));

    public TestRoom JoinRule(string rule, JsonArray? allow = null)
    {
        var content = new JsonObject { ["join_rule"] = rule };
        if (allow is not null)
        {
            content["allow"] = allow;
        }

        return Do(Event(EventTypes.JoinRules, Create.Sender, content, ""));
    }

    public TestRoom PowerLevels(string sender, JsonObject content) => Do(Event(EventTypes.PowerLevels, sender, content, ""));

    /// <summary>A <c>users</c> map of power levels; room version 12 creators are left out, as that version requires.</summary>
    public JsonObject Users(params (string User, int Level)[] levels)
    {
        var creators = Homeserver.Protocol.PowerLevels.RoomPowerLevels.Creators(Create, Rules);
        var users = new JsonObject();
        foreach (var (user, level) in levels)
        {
            if (!(Rules.Authorization.ExplicitlyPrivilegeRoomCreators && creators.Contains(user)))
            {
                users[user] = level;
            }
        }

        return users;
    }

    public Pdu StateOf(string type, string key) => _state[new StateKey(type, key)];

    private void Accept(Pdu pdu)
    {
        if (pdu.StateKeyPair is { } key)
        {
            _state[key] = pdu;
        }

        _lastEventId = pdu.EventId;
    }

    private Pdu Build(string type, string sender, JsonObject content, string? stateKey, string? roomId, string[] prev)
    {
        var json = new JsonObject
        {
            ["type"] = type,
            ["sender"] = sender,
            ["content"] = content,
            // Room versions 1 and 2 reference events as [event_id, {hashes}] pairs.
            ["prev_events"] = new JsonArray([.. prev.Select(p => Rules.EventFormat == EventFormat.V1 ? new JsonArray(p, new JsonObject()) : (JsonNode)p)]),
            ["auth_events"] = new JsonArray(),
            ["depth"] = ++_counter,
            ["origin_server_ts"] = _counter,
            ["signatures"] = new JsonObject { [sender[(sender.IndexOf(':', StringComparison.Ordinal) + 1)..]] = new JsonObject() },
        };
        if (roomId is not null)
        {
            json["room_id"] = roomId;
        }

        if (stateKey is not null)
        {
            json["state_key"] = stateKey;
        }

        var eventId = Rules.EventFormat == EventFormat.V1 ? $"${_counter}:a.example" : $"$event{_counter}";
        return Pdu.FromJson(json, eventId, Rules);
    }
}
