using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Benchmarks;

/// <summary>
/// The auth rules of room version 11 for three common events in a public room of N members, each checked against
/// the room's state as the engine checks it (a lookup by state key): a message, a join of a new user, and a kick.
/// </summary>
[MemoryDiagnoser]
public class AuthorizationBenchmarks
{
    private BenchRoom _room = null!;
    private Pdu _message = null!;
    private Pdu _join = null!;
    private Pdu _kick = null!;

    [Params(1_000, 10_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _room = new BenchRoom(Versions.V11, Members);
        var member = BenchRoom.Member(Members / 2);
        _message = _room.Add("m.room.message", member, null, new JsonObject { ["msgtype"] = "m.text", ["body"] = "hello" });
        const string Newcomer = "@newcomer:example.org";
        _join = _room.Add(EventTypes.Member, Newcomer, Newcomer, new JsonObject { ["membership"] = "join" });
        _kick = _room.Add(EventTypes.Member, BenchRoom.Creator, member, new JsonObject { ["membership"] = "leave" });
        foreach (var pdu in new[] { _message, _join, _kick })
        {
            if (!Authorize(pdu).IsAllowed)
            {
                throw new InvalidOperationException($"The fixture's {pdu.Type} is refused: {Authorize(pdu).Reason}");
            }
        }
    }

    [Benchmark]
    public AuthorizationResult Message() => Authorize(_message);

    [Benchmark]
    public AuthorizationResult Join() => Authorize(_join);

    [Benchmark]
    public AuthorizationResult Kick() => Authorize(_kick);

    private AuthorizationResult Authorize(Pdu pdu) =>
        EventAuthorizer.Authorize(_room.Rules, pdu, key => _room.State.TryGetValue(key, out var id) ? _room.Events[id] : null);
}
