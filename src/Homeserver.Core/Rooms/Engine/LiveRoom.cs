using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// The head of a room as the engine keeps it in memory: current state, forward extremities and current snapshot.
/// Only the engine's writer loop touches it, so it needs no lock.
/// </summary>
public sealed class LiveRoom(long roomNid, string roomId, RoomVersionRules rules)
{
    public long RoomNid { get; } = roomNid;

    public string RoomId { get; set; } = roomId;

    public RoomVersionRules Rules { get; } = rules;

    public Dictionary<StateKey, StateEntry> State { get; } = [];

    public List<Extremity> Extremities { get; set; } = [];

    public long? SnapshotNid { get; set; }

    public int SnapshotDeltaDepth { get; set; }

    /// <summary>An order-independent hash of the state (XOR of its entries), updated per change in O(1).</summary>
    public ulong StateHash { get; set; }

    public Pdu? Get(StateKey key) => State.TryGetValue(key, out var entry) ? entry.Pdu : null;
}
