using System.Text.Json.Nodes;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Benchmarks;

/// <summary>
/// A public room built event by event, each event citing the auth events the rules select from the state so far:
/// the fixture of the benchmarks that need a room of many members. Events are unsigned; nothing here checks them.
/// </summary>
internal sealed class BenchRoom
{
    public const string Creator = "@creator:example.org";

    private int _depth;

    public BenchRoom(RoomVersionRules rules, int members)
    {
        Rules = rules;
        Set(EventTypes.Create, Creator, "", new JsonObject { ["room_version"] = "11" });
        Set(EventTypes.Member, Creator, Creator, new JsonObject { ["membership"] = "join" });
        Set(EventTypes.PowerLevels, Creator, "", new JsonObject { ["users"] = new JsonObject { [Creator] = 100 } });
        Set(EventTypes.JoinRules, Creator, "", new JsonObject { ["join_rule"] = "public" });
        for (var i = 0; i < members; i++)
        {
            var user = Member(i);
            Set(EventTypes.Member, user, user, new JsonObject { ["membership"] = "join" });
        }
    }

    public RoomVersionRules Rules { get; }

    public Dictionary<string, Pdu> Events { get; } = new(StringComparer.Ordinal);

    /// <summary>The room's current state, by key, as event IDs.</summary>
    public Dictionary<StateKey, string> State { get; } = [];

    public static string Member(int i) => $"@user{i}:example.org";

    /// <summary>A new event on top of the current state, which it does not change.</summary>
    public Pdu Add(string type, string sender, string? stateKey, JsonObject content)
    {
        var json = new JsonObject
        {
            ["room_id"] = "!bench:example.org", ["type"] = type, ["sender"] = sender, ["content"] = content,
            ["prev_events"] = new JsonArray(), ["depth"] = ++_depth, ["origin_server_ts"] = _depth,
            ["auth_events"] = new JsonArray([.. AuthEventSelection.Select(Rules, type, stateKey, sender, content)
                .Where(State.ContainsKey).Select(k => (JsonNode)State[k])]),
        };
        if (stateKey is not null)
        {
            json["state_key"] = stateKey;
        }

        var pdu = Pdu.FromJson(json, $"$e{_depth}", Rules);
        Events[pdu.EventId] = pdu;
        return pdu;
    }

    public void Set(string type, string sender, string key, JsonObject content) => State[new StateKey(type, key)] = Add(type, sender, key, content).EventId;
}
