using System.Collections.Concurrent;
using Homeserver.Core.Rooms;

namespace Homeserver.Core.Sync.Streams;

/// <summary>
/// The newest timeline events of each room written since start, kept by the room writer, so that a long-poll woken
/// by a message is answered without reading the timeline back. A room's window is complete after a position: every
/// timeline event of the room after it is in the window. The writer adds a batch's events (and applies its
/// redactions) before it publishes the batch's positions, so a sync that sees a position finds its events here.
/// Anything the window cannot answer is read from the database.
/// </summary>
public sealed class RecentTimelines
{
    /// <summary>What a woken sync has to show even when hundreds of messages a second arrive; a longer gap reads the database.</summary>
    public const int EventsPerRoom = 50;

    /// <summary>
    /// A bound on memory. Past it the windows of the rooms written longest ago are dropped until a quarter of it is
    /// free (each starts again at its room's next write), so that busy rooms keep theirs and the sort that picks the
    /// rooms runs once per quarter of the bound written.
    /// </summary>
    public const long DefaultMaxJsonChars = 32 * 1024 * 1024;

    private readonly ConcurrentDictionary<long, Window> _rooms = new();
    private readonly long _maxJsonChars;
    private long _jsonChars;
    private long _writes;

    public RecentTimelines(long maxJsonChars = DefaultMaxJsonChars)
    {
        _maxJsonChars = maxJsonChars;
    }

    /// <summary>Called by the single writer only, with a batch's timeline events in stream order.</summary>
    public void Add(long roomNid, IReadOnlyList<RoomEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        // A room seen for the first time: every earlier event of it is below the first one of this batch.
        var window = _rooms.GetValueOrDefault(roomNid) ?? new Window([], events[0].StreamOrdering - 1, 0);
        var all = window.Events.Concat(events).ToArray();
        var drop = Math.Max(0, all.Length - EventsPerRoom);
        _jsonChars += events.Sum(e => (long)e.Json.Length) - all.Take(drop).Sum(e => (long)e.Json.Length);
        var written = ++_writes;
        _rooms[roomNid] = drop == 0 ? window with { Events = all, LastWrite = written } : new Window(all[drop..], all[drop - 1].StreamOrdering, written);
        if (_jsonChars > _maxJsonChars)
        {
            EvictLeastRecentlyWritten();
        }
    }

    private void EvictLeastRecentlyWritten()
    {
        foreach (var (roomNid, _) in _rooms.OrderBy(r => r.Value.LastWrite).ToList())
        {
            if (_jsonChars <= _maxJsonChars / 4 * 3)
            {
                return;
            }

            Forget(roomNid);
        }
    }

    /// <summary>Called by the single writer only: the room is read from the database until it is written again.</summary>
    public void Forget(long roomNid)
    {
        if (_rooms.TryRemove(roomNid, out var window))
        {
            _jsonChars -= window.Events.Sum(e => (long)e.Json.Length);
        }
    }

    /// <summary>Called by the single writer only: the event, if held, now shows in its redacted form.</summary>
    public void Redact(long roomNid, long eventNid, string redactedJson, string redactedBy)
    {
        if (_rooms.TryGetValue(roomNid, out var window) && Array.FindIndex(window.Events, e => e.EventNid == eventNid) is var index and >= 0)
        {
            var events = (RoomEvent[])window.Events.Clone();
            _jsonChars += redactedJson.Length - events[index].Json.Length;
            events[index] = events[index] with { Json = redactedJson, RedactedBy = redactedBy };
            _rooms[roomNid] = window with { Events = events };
        }
    }

    /// <summary>
    /// The room's timeline events after <paramref name="after"/> up to <paramref name="upTo"/>, newest first and at
    /// most <paramref name="limit"/>; false when the window does not reach back to <paramref name="after"/>.
    /// </summary>
    public bool TryGet(long roomNid, long after, long upTo, int limit, out IReadOnlyList<RoomEvent> newestFirst)
    {
        if (!_rooms.TryGetValue(roomNid, out var window) || after < window.CompleteAfter)
        {
            newestFirst = [];
            return false;
        }

        var found = new List<RoomEvent>();
        for (var i = window.Events.Length - 1; i >= 0 && found.Count < limit && window.Events[i].StreamOrdering > after; i--)
        {
            if (window.Events[i].StreamOrdering <= upTo)
            {
                found.Add(window.Events[i]);
            }
        }

        newestFirst = found;
        return true;
    }

    private sealed record Window(RoomEvent[] Events, long CompleteAfter, long LastWrite);
}
