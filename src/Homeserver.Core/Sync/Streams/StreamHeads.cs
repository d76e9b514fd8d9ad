using System.Collections.Concurrent;

namespace Homeserver.Core.Sync.Streams;

/// <summary>
/// Where each room's events and memberships and each local user's memberships last moved, kept by the room writer
/// so that <c>/sync</c> can tell without a read whether a room has anything new, whether anyone joined or left it,
/// and whether the memberships it read are complete. The writer advances them before it publishes the batch's
/// positions, so a sync that sees a position also sees every head that reached it. Values only grow, so a late fill
/// from the database cannot hide a newer event.
/// </summary>
public sealed class StreamHeads
{
    private readonly ConcurrentDictionary<long, long> _rooms = new();
    private readonly ConcurrentDictionary<long, long> _roomMemberships = new();
    private readonly ConcurrentDictionary<long, long> _stateResets = new();
    private readonly ConcurrentDictionary<string, long> _memberships = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _membershipVersions = new(StringComparer.Ordinal);

    // Until start-up sets it, nothing is known to be quiet.
    private long _floor = long.MaxValue;

    /// <summary>
    /// The event stream's position at start-up: every membership change after it went through the writer, so a room
    /// without a membership head had none after it.
    /// </summary>
    public void SetFloor(long eventsPosition) => Volatile.Write(ref _floor, eventsPosition);

    public void AdvanceRoom(long roomNid, long streamOrdering) => Advance(_rooms, roomNid, streamOrdering);

    public bool TryGetRoom(long roomNid, out long head) => _rooms.TryGetValue(roomNid, out head);

    /// <summary>
    /// A room's state changed at this position with no event in its timeline to show it (a partial state was
    /// completed): syncs from before it show the room whole again, as to a newly joined member. Kept in memory only.
    /// </summary>
    public void AdvanceStateReset(long roomNid, long streamOrdering) => Advance(_stateResets, roomNid, streamOrdering);

    public bool StateResetAfter(long roomNid, long since) => _stateResets.TryGetValue(roomNid, out var head) && head > since;

    /// <summary>Someone's membership of a room changed at this position.</summary>
    public void AdvanceRoomMembership(long roomNid, long streamOrdering) => Advance(_roomMemberships, roomNid, streamOrdering);

    /// <summary>
    /// Whether it is known that no membership of these rooms, and none of the user's, changed after
    /// <paramref name="since"/>: false whenever that cannot be told from memory.
    /// </summary>
    public bool NoMembershipChangeAfter(string userId, IEnumerable<long> roomNids, long since)
    {
        var floor = Volatile.Read(ref _floor);
        bool QuietSince(bool known, long head) => known ? head <= since : since >= floor;
        return QuietSince(_memberships.TryGetValue(userId, out var own), own)
            && roomNids.All(nid => QuietSince(_roomMemberships.TryGetValue(nid, out var head), head));
    }

    /// <summary>A local user's membership of some room changed at this position.</summary>
    public void AdvanceMembership(string userId, long streamOrdering)
    {
        Advance(_memberships, userId, streamOrdering);
        ChangedMemberships(userId);
    }

    /// <summary>The position of the user's latest membership change since start; false when there was none.</summary>
    public bool TryGetMembership(string userId, out long head) => _memberships.TryGetValue(userId, out head);

    /// <summary>The user's memberships changed in a way no stream records (a room forgotten).</summary>
    public void ChangedMemberships(string userId) => _membershipVersions.AddOrUpdate(userId, 1, (_, version) => version + 1);

    /// <summary>
    /// Grows with every change of the user's memberships: a copy read while it held a value is current as long as it
    /// holds it still.
    /// </summary>
    public long MembershipVersion(string userId) => _membershipVersions.GetValueOrDefault(userId);

    private static void Advance<TKey>(ConcurrentDictionary<TKey, long> heads, TKey key, long streamOrdering)
        where TKey : notnull =>
        heads.AddOrUpdate(key, streamOrdering, (_, head) => Math.Max(head, streamOrdering));
}
