using System.Text.Json.Nodes;
using CsCheck;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.StateResolution;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Protocol.Tests.StateResolution;

public sealed class StateResolverTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "StateResolution");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(FixtureDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            var versions = JsonNode.Parse(File.ReadAllText(file))!["versions"]?.AsArray().Select(v => (string)v!).ToArray()
                ?? ["2", "6", "10", "11", "12"];
            foreach (var version in versions)
            {
                data.Add(Path.GetFileNameWithoutExtension(file), version);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_resolves_to_the_expected_state(string fixture, string version)
    {
        var harness = new DagHarness(Versions.All[version]);

        var (actual, expected) = harness.Play(Load(fixture));

        Assert.Equal(expected.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal), actual.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public void The_result_does_not_depend_on_the_order_of_the_state_sets()
    {
        var rules = Versions.V11;
        var harness = new DagHarness(rules);
        harness.Play(Load("topic-mainline"));
        var sets = new[] { "T4", "T3", "PB", "MZ1", "PA2" }
            .Select(name => (IReadOnlyDictionary<StateKey, string>)StateAfter(harness, name))
            .ToList();
        var reference = StateResolver.Resolve(rules, sets, harness.Fetch).State!;

        Gen.Shuffle(sets.ToArray()).Sample(shuffled =>
        {
            var state = StateResolver.Resolve(rules, shuffled, harness.Fetch).State!;
            Assert.Equal(reference.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal), state.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal));
        });
    }

    [Fact]
    public void Identical_state_sets_need_no_event()
    {
        var state = new Dictionary<StateKey, string> { [new StateKey("m.room.create", "")] = "$c" };
        var fetched = 0;

        var result = StateResolver.Resolve(Versions.V11, [state, state], id =>
        {
            fetched++;
            return null;
        });

        Assert.Equal(state, result.State);
        Assert.Equal(0, fetched);
    }

    [Fact]
    public void An_unknown_conflicted_event_is_reported_not_guessed()
    {
        var key = new StateKey("m.room.topic", "");
        var result = StateResolver.Resolve(Versions.V11,
            [new Dictionary<StateKey, string> { [key] = "$a" }, new Dictionary<StateKey, string> { [key] = "$b" }],
            _ => null);

        Assert.False(result.IsResolved);
    }

    [Fact]
    public void Version_1_settles_power_then_memberships_then_takes_the_deepest_allowed_event()
    {
        var harness = new DagHarness(Versions.V1);

        var (actual, _) = harness.Play(Load("topic-reset"));

        // Power levels resolve to PA (applied over IPOWER in depth order), then the ban MB is allowed; the deeper
        // topic T2 then fails its auth check (Bob is banned in R), so T1, the next by depth, is kept.
        Assert.Equal(harness.EventId("PA"), actual[new StateKey("m.room.power_levels", "")]);
        Assert.Equal(harness.EventId("MB"), actual[new StateKey("m.room.member", "@bob:example.com")]);
        Assert.Equal(harness.EventId("T1"), actual[new StateKey("m.room.topic", "")]);
    }

    private static Dictionary<StateKey, string> StateAfter(DagHarness harness, string name)
    {
        var pdu = harness.Fetch(harness.EventId(name))!;
        var state = new Dictionary<StateKey, string>();
        foreach (var authId in pdu.AuthEvents)
        {
            var authEvent = harness.Fetch(authId)!;
            state[authEvent.StateKeyPair!.Value] = authId;
        }

        if (pdu.StateKeyPair is { } key)
        {
            state[key] = pdu.EventId;
        }

        return state;
    }

    private static JsonObject Load(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, name + ".json")))!.AsObject();
}
