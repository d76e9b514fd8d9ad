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
    private Dictionary<string, Pdu> _events = null!;
    private List<IReadOnlyDictionary<StateKey, string>> _stateSets = null!;
    private List<IReadOnlySet<string>> _authChains = null!;
    private RoomVersionRules _rules = null!;

    [Params(1_000, 10_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rules = Versions.V11;
        var room = new BenchRoom(_rules, Members);
        _events = room.Events;
        var state = room.State;
        string Add(string type, string sender, string? stateKey, JsonObject content) => room.Add(type, sender, stateKey, content).EventId;

        var renamed = new Dictionary<StateKey, string>(state);
        var left = new Dictionary<StateKey, string>(state);
        for (var i = 0; i < 50; i++)
        {
            var user = BenchRoom.Member(i);
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
