using System.Collections.Concurrent;

namespace Homeserver.Core.Sync.Streams;

/// <summary>
/// The newest stream position of each room's events, so that an incremental <c>/sync</c> skips the rooms that did
/// not move without asking the database about each. The room writer advances a room before it publishes the
/// batch's positions, so a sync that sees a position also sees every room that reached it. Rooms not written since
/// start are filled from the database on first need; values only grow, so a late fill cannot hide a newer event.
/// </summary>
public sealed class RoomStreamHeads
{
    private readonly ConcurrentDictionary<long, long> _heads = new();

    public void Advance(long roomNid, long streamOrdering) =>
        _heads.AddOrUpdate(roomNid, streamOrdering, (_, head) => Math.Max(head, streamOrdering));

    public bool TryGet(long roomNid, out long head) => _heads.TryGetValue(roomNid, out head);
}
