using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// The head of a room as the engine keeps it in memory: current state, forward extremities and current snapshot.
/// Only the engine's writer loop touches it, so it needs no lock.
/// </summary>
public sealed class LiveRoom(long roomNid, string roomId, RoomVersionRules rules)
{
    private const int RememberedStates = 512;
    private readonly Dictionary<string, ImmutableDictionary<StateKey, StateEntry>> _recentStates = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private HashSet<string>? _servers;
    private PartialState? _partial;

    public long RoomNid { get; } = roomNid;

    public string RoomId { get; set; } = roomId;

    public RoomVersionRules Rules { get; } = rules;

    /// <summary>Immutable, so that the state after recent events can be remembered without copying.</summary>
    public ImmutableDictionary<StateKey, StateEntry> State { get; private set; } = ImmutableDictionary<StateKey, StateEntry>.Empty;

    public List<Extremity> Extremities { get; set; } = [];

    public long? SnapshotNid { get; set; }

    public int SnapshotDeltaDepth { get; set; }

    /// <summary>An order-independent hash of the state (XOR of its entries), updated per change in O(1).</summary>
    public ulong StateHash { get; set; }

    /// <summary>Set while the room's members are not all known (a partial-state join); null once they are.</summary>
    public PartialState? Partial
    {
        get => _partial;
        set
        {
            _partial = value;
            _servers = null;
        }
    }

    public Pdu? Get(StateKey key) => State.TryGetValue(key, out var entry) ? entry.Pdu : null;

    public void SetState(ImmutableDictionary<StateKey, StateEntry> state)
    {
        State = state;
        _servers = null;
    }

    /// <summary>
    /// The servers of the joined members: where the room's new events go. While the state is partial, those the
    /// resident server named too.
    /// </summary>
    public IReadOnlySet<string> JoinedServers()
    {
        _servers ??= [.. State.Values
            .Where(e => e.Pdu.Type == EventTypes.Member && IsJoin(e.Pdu))
            .Select(e => ServerOf(e.Pdu.StateKey!))
            .Concat(_partial?.Servers ?? [])];
        return _servers;
    }

    /// <summary>Remembers the state after an event, so that an event citing it as prev event finds it without a read.</summary>
    public void RememberStateAfter(string eventId, ImmutableDictionary<StateKey, StateEntry> state)
    {
        if (_recentStates.TryAdd(eventId, state))
        {
            _recentOrder.Enqueue(eventId);
            if (_recentOrder.Count > RememberedStates)
            {
                _recentStates.Remove(_recentOrder.Dequeue());
            }
        }
    }

    public ImmutableDictionary<StateKey, StateEntry>? RecentStateAfter(string eventId) => _recentStates.GetValueOrDefault(eventId);

    public void ForgetRememberedStates()
    {
        _recentStates.Clear();
        _recentOrder.Clear();
    }

    public static bool IsJoin(Pdu member) =>
        member.Content["membership"] is JsonValue value && value.TryGetValue<string>(out var membership) && membership == "join";

    public static string ServerOf(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? string.Empty : id[(colon + 1)..];
    }
}
