using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.StateResolution;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Benchmarks;

/// <summary>
/// A public room of N members forks: on one side 50 members change their display name, on the other the same 50
/// leave — 100 conflicted state events over a large unconflicted state.
/// </summary>
[MemoryDiagnoser]
public class StateResolutionBenchmarks
{
    private readonly Dictionary<string, Pdu> _events = new(StringComparer.Ordinal);
    private List<IReadOnlyDictionary<StateKey, string>> _stateSets = null!;
    private List<IReadOnlySet<string>> _authChains = null!;
    private RoomVersionRules _rules = null!;

    [Params(1_000, 10_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rules = Versions.V11;
        var state = new Dictionary<StateKey, string>();
        var depth = 0;
        string Add(string type, string sender, string? stateKey, JsonObject content)
        {
            var json = new JsonObject
            {
                ["room_id"] = "!bench:example.org", ["type"] = type, ["sender"] = sender, ["content"] = content,
                ["prev_events"] = new JsonArray(), ["depth"] = ++depth, ["origin_server_ts"] = depth,
                ["auth_events"] = new JsonArray([.. Protocol.Authorization.AuthEventSelection.Select(_rules, type, stateKey, sender, content)
                    .Where(state.ContainsKey).Select(k => (JsonNode)state[k])]),
            };
            if (stateKey is not null)
            {
                json["state_key"] = stateKey;
            }

            var pdu = Pdu.FromJson(json, $"$e{depth}", _rules);
            _events[pdu.EventId] = pdu;
            return pdu.EventId;
        }

        void Set(string type, string sender, string key, JsonObject content) => state[new StateKey(type, key)] = Add(type, sender, key, content);

        const string Creator = "@creator:example.org";
        Set(EventTypes.Create, Creator, "", new JsonObject { ["room_version"] = "11" });
        Set(EventTypes.Member, Creator, Creator, new JsonObject { ["membership"] = "join" });
        Set(EventTypes.PowerLevels, Creator, "", new JsonObject { ["users"] = new JsonObject { [Creator] = 100 } });
        Set(EventTypes.JoinRules, Creator, "", new JsonObject { ["join_rule"] = "public" });
        for (var i = 0; i < Members; i++)
        {
            var user = $"@user{i}:example.org";
            Set(EventTypes.Member, user, user, new JsonObject { ["membership"] = "join" });
        }

        var renamed = new Dictionary<StateKey, string>(state);
        var left = new Dictionary<StateKey, string>(state);
        for (var i = 0; i < 50; i++)
        {
            var user = $"@user{i}:example.org";
            var key = new StateKey(EventTypes.Member, user);
            renamed[key] = Add(EventTypes.Member, user, user, new JsonObject { ["membership"] = "join", ["displayname"] = $"User {i}" });
            left[key] = Add(EventTypes.Member, user, user, new JsonObject { ["membership"] = "leave" });
        }

        _stateSets = [renamed, left];
        _authChains = _stateSets.Select(set => (IReadOnlySet<string>)AuthChain(set.Values)).ToList();
    }

    [Benchmark]
    public StateResolutionResult ResolveWalkingAuthChains() => StateResolver.Resolve(_rules, _stateSets, _events.GetValueOrDefault);

    [Benchmark]
    public StateResolutionResult ResolveWithStoredAuthChains() => StateResolver.Resolve(_rules, _stateSets, _events.GetValueOrDefault, _authChains);

    private HashSet<string> AuthChain(IEnumerable<string> from)
    {
        var chain = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(from);
        while (pending.TryPop(out var id))
        {
            if (chain.Add(id))
            {
                foreach (var auth in _events[id].AuthEvents)
                {
                    pending.Push(auth);
                }
            }
        }

        return chain;
    }
}
