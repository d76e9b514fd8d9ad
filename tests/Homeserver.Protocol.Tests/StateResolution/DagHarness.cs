using System.Text.Json.Nodes;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.StateResolution;

namespace Homeserver.Protocol.Tests.StateResolution;

/// <summary>
/// Plays a room DAG the way a server would: every event's state before it is the resolution of the states after
/// its prev events, and its auth events are selected from that state. Users are short names (<c>alice</c>) that
/// become <c>@alice:example.com</c>. Every graph starts from the same room: created by alice, public, with bob,
/// charlie and zara joined, ending at the message START.
/// </summary>
internal sealed class DagHarness
{
    private const string Server = "example.com";

    private static readonly JsonObject[] InitialEvents =
    [
        Node("CREATE", "alice", EventTypes.Create, "", new JsonObject()),
        Node("IMA", "alice", EventTypes.Member, "alice", new JsonObject { ["membership"] = "join" }),
        Node("IPOWER", "alice", EventTypes.PowerLevels, "", new JsonObject { ["users"] = new JsonObject { ["alice"] = 100 } }),
        Node("IJR", "alice", EventTypes.JoinRules, "", new JsonObject { ["join_rule"] = "public" }),
        Node("IMB", "bob", EventTypes.Member, "bob", new JsonObject { ["membership"] = "join" }),
        Node("IMC", "charlie", EventTypes.Member, "charlie", new JsonObject { ["membership"] = "join" }),
        Node("IMZ", "zara", EventTypes.Member, "zara", new JsonObject { ["membership"] = "join" }),
        Node("START", "zara", EventTypes.Message, null, new JsonObject()),
    ];

    private readonly RoomVersionRules _rules;
    private readonly Dictionary<string, Pdu> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<StateKey, string>> _stateAfter = new(StringComparer.Ordinal);

    public DagHarness(RoomVersionRules rules) => _rules = rules;

    public int Fetches { get; private set; }

    /// <summary>
    /// Plays the fixture's graph and returns the resolved state with the state expected: the state before END, or,
    /// when the fixture lists <c>state_sets</c> (e.g. to stage a state reset), the resolution of exactly those sets.
    /// <c>expected_by_version</c> overrides <c>expected</c> for the room versions where the answer differs.
    /// </summary>
    public (IReadOnlyDictionary<StateKey, string> Actual, IReadOnlyDictionary<StateKey, string> Expected) Play(JsonObject fixture)
    {
        var nodes = InitialEvents.Concat(fixture["events"]!.AsArray().Select(e => e!.AsObject()))
            .Append(Node("END", "zara", EventTypes.Message, null, new JsonObject()))
            .ToList();
        var prevs = nodes.ToDictionary(n => (string)n["id"]!, _ => new List<string>(), StringComparer.Ordinal);
        for (var i = 1; i < InitialEvents.Length; i++)
        {
            prevs[(string)InitialEvents[i]["id"]!].Add((string)InitialEvents[i - 1]["id"]!);
        }

        foreach (var chain in fixture["edges"]!.AsArray())
        {
            var ids = chain!.AsArray().Select(n => (string)n!).ToList();
            for (var i = 0; i + 1 < ids.Count; i++)
            {
                if (!prevs[ids[i]].Contains(ids[i + 1]))
                {
                    prevs[ids[i]].Add(ids[i + 1]);
                }
            }
        }

        // Timestamps follow the order the events are written in, as in the tests of other servers.
        var timestamps = nodes.Select((n, i) => ((string)n["id"]!, i)).ToDictionary(x => x.Item1, x => (long)x.i, StringComparer.Ordinal);
        var byId = nodes.ToDictionary(n => (string)n["id"]!, StringComparer.Ordinal);
        foreach (var id in TopologicalOrder(prevs))
        {
            Add(byId[id], prevs[id], timestamps[id]);
        }

        var expectedNames = (fixture["expected_by_version"]?[_rules.Id] ?? fixture["expected"])!.AsArray().Select(n => (string)n!).ToList();
        if (fixture["state_sets"] is JsonArray stateSets)
        {
            var sets = stateSets.Select(set => (IReadOnlyDictionary<StateKey, string>)StateOf(set!.AsArray().Select(n => (string)n!))).ToList();
            var result = StateResolver.Resolve(_rules, sets, Fetch);
            Assert.True(result.IsResolved, $"missing event {result.MissingEventId}");
            return (result.State!, StateOf(expectedNames));
        }

        var expected = new Dictionary<StateKey, string>(_stateAfter[EventId("START")]);
        foreach (var (key, id) in StateOf(expectedNames))
        {
            expected[key] = id;
        }

        return (StateBefore(prevs["END"]), expected);
    }

    private Dictionary<StateKey, string> StateOf(IEnumerable<string> names) =>
        names.Select(EventId).ToDictionary(id => _events[id].StateKeyPair!.Value, id => id);

    public string EventId(string name) => _rules.EventFormat == EventFormat.V1 ? $"${name}:{Server}" : "$" + name;

    public Pdu? Fetch(string id)
    {
        Fetches++;
        return _events.GetValueOrDefault(id);
    }

    private static JsonObject Node(string id, string sender, string type, string? stateKey, JsonObject content)
    {
        var node = new JsonObject { ["id"] = id, ["sender"] = sender, ["type"] = type, ["content"] = content };
        if (stateKey is not null)
        {
            node["state_key"] = stateKey;
        }

        return node;
    }

    private static List<string> TopologicalOrder(Dictionary<string, List<string>> prevs)
    {
        var ordered = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string id)
        {
            if (!done.Add(id))
            {
                return;
            }

            foreach (var prev in prevs[id])
            {
                Visit(prev);
            }

            ordered.Add(id);
        }

        foreach (var id in prevs.Keys)
        {
            Visit(id);
        }

        return ordered;
    }

    private Dictionary<StateKey, string> StateBefore(List<string> prevNames)
    {
        var states = prevNames.Select(p => (IReadOnlyDictionary<StateKey, string>)_stateAfter[EventId(p)]).ToList();
        if (states.Count <= 1)
        {
            return states.Count == 0 ? [] : new Dictionary<StateKey, string>(states[0]);
        }

        var result = StateResolver.Resolve(_rules, states, Fetch);
        Assert.True(result.IsResolved, $"missing event {result.MissingEventId}");
        return new Dictionary<StateKey, string>(result.State!);
    }

    private void Add(JsonObject node, List<string> prevNames, long timestamp)
    {
        var name = (string)node["id"]!;
        var type = (string)node["type"]!;
        var sender = User((string)node["sender"]!);
        var stateKey = node["state_key"] is { } sk ? ((string)sk! is { Length: > 0 } key && type == EventTypes.Member ? User(key) : (string)sk!) : null;
        var content = Users((JsonObject)node["content"]!.DeepClone(), sender, type);
        var before = StateBefore(prevNames);

        var roomId = _rules.Authorization.RoomCreateEventIdAsRoomId ? "!" + EventId("CREATE")[1..] : "!room:" + Server;
        if (type == EventTypes.Create && !_rules.Authorization.UseRoomCreateSender)
        {
            content["creator"] = sender;
        }

        var authEvents = AuthEventSelection.Select(_rules, type, stateKey, sender, content)
            .Where(before.ContainsKey)
            .Select(k => before[k])
            .ToList();
        var json = new JsonObject
        {
            ["type"] = type,
            ["sender"] = sender,
            ["content"] = content,
            ["prev_events"] = References(prevNames.Select(EventId)),
            ["auth_events"] = References(authEvents),
            ["depth"] = prevNames.Count == 0 ? 1 : prevNames.Max(p => _events[EventId(p)].Depth) + 1,
            ["origin_server_ts"] = timestamp,
        };
        if (!(type == EventTypes.Create && _rules.Authorization.RoomCreateEventIdAsRoomId))
        {
            json["room_id"] = roomId;
        }

        if (stateKey is not null)
        {
            json["state_key"] = stateKey;
        }

        var pdu = Pdu.FromJson(json, EventId(name), _rules);
        _events[pdu.EventId] = pdu;
        if (pdu.StateKeyPair is { } pair)
        {
            before[pair] = pdu.EventId;
        }

        _stateAfter[pdu.EventId] = before;
    }

    private JsonArray References(IEnumerable<string> ids) =>
        new([.. ids.Select(id => _rules.EventFormat == EventFormat.V1 ? new JsonArray(id, new JsonObject()) : (JsonNode)id)]);

    /// <summary>Expands user names in a power-levels <c>users</c> map; version 12 creators are left out, as it requires.</summary>
    private JsonObject Users(JsonObject content, string sender, string type)
    {
        if (type == EventTypes.PowerLevels && content["users"] is JsonObject users)
        {
            var expanded = new JsonObject();
            foreach (var (name, level) in users)
            {
                var user = User(name);
                if (!(_rules.Authorization.ExplicitlyPrivilegeRoomCreators && user == User("alice")))
                {
                    expanded[user] = level?.DeepClone();
                }
            }

            content["users"] = expanded;
        }

        return content;
    }

    /// <summary>A short name (<c>alice</c>) becomes <c>@alice:example.com</c>; a full user ID stays as it is.</summary>
    private static string User(string name) => name.StartsWith('@') ? name : $"@{name}:{Server}";
}
