using System.Collections.Concurrent;

namespace Homeserver.Core.Sync.Streams;

/// <summary>
/// Where each room's events and each local user's memberships last moved, kept by the room writer so that
/// <c>/sync</c> can tell without a read whether a room has anything new and whether the memberships it read are
/// complete. The writer advances both before it publishes the batch's positions, so a sync that sees a position also
/// sees every head that reached it. Rooms not written since start are filled from the database on first need; values
/// only grow, so a late fill cannot hide a newer event.
/// </summary>
public sealed class StreamHeads
{
    private readonly ConcurrentDictionary<long, long> _rooms = new();
    private readonly ConcurrentDictionary<string, long> _memberships = new(StringComparer.Ordinal);

    public void AdvanceRoom(long roomNid, long streamOrdering) => Advance(_rooms, roomNid, streamOrdering);

    public bool TryGetRoom(long roomNid, out long head) => _rooms.TryGetValue(roomNid, out head);

    /// <summary>A local user's membership of some room changed at this position.</summary>
    public void AdvanceMembership(string userId, long streamOrdering) => Advance(_memberships, userId, streamOrdering);

    /// <summary>The position of the user's latest membership change since start; false when there was none.</summary>
    public bool TryGetMembership(string userId, out long head) => _memberships.TryGetValue(userId, out head);

    private static void Advance<TKey>(ConcurrentDictionary<TKey, long> heads, TKey key, long streamOrdering)
        where TKey : notnull =>
        heads.AddOrUpdate(key, streamOrdering, (_, head) => Math.Max(head, streamOrdering));
}
