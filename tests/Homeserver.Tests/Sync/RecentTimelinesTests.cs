using Homeserver.Core.Rooms;
using Homeserver.Core.Sync.Streams;

namespace Homeserver.Tests.Sync;

/// <summary>The writer's windows of recent timeline events stay within their memory bound by dropping the rooms written longest ago.</summary>
public sealed class RecentTimelinesTests
{
    private long _position;

    [Fact]
    public void Over_its_bound_it_drops_the_rooms_written_longest_ago_and_keeps_the_busy_one()
    {
        // Every event's JSON is 100 characters: a bound of 1,000 holds ten, and dropping stops at 750.
        var timelines = new RecentTimelines(maxJsonChars: 1_000);
        var busyFirst = Write(timelines, room: 1, count: 4);
        Write(timelines, room: 2, count: 3);
        Write(timelines, room: 3, count: 2);
        Write(timelines, room: 1, count: 2);

        Assert.True(timelines.TryGet(1, busyFirst - 1, long.MaxValue, 100, out var busy));
        Assert.Equal(6, busy.Count);
        Assert.False(timelines.TryGet(2, 0, long.MaxValue, 100, out _));
        Assert.False(timelines.TryGet(3, 0, long.MaxValue, 100, out _));

        // A dropped room's window starts again at its next write, complete from there on only.
        var again = Write(timelines, room: 2, count: 1);
        Assert.False(timelines.TryGet(2, again - 2, long.MaxValue, 100, out _));
        Assert.True(timelines.TryGet(2, again - 1, long.MaxValue, 100, out var restarted));
        Assert.Single(restarted);
    }

    private long Write(RecentTimelines timelines, long room, int count)
    {
        var events = Enumerable.Range(0, count).Select(_ =>
        {
            var position = ++_position;
            return new RoomEvent(position, $"$e{position}", $"!r{room}:hs", position, "m.room.message", null, "@a:hs", position, new string('x', 100), null, null);
        }).ToList();
        timelines.Add(room, events);
        return events[0].StreamOrdering;
    }
}
