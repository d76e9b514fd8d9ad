using Homeserver.Core.Sync.Streams;

namespace Homeserver.Core.Rooms.Typing;

/// <summary>
/// Who is typing in each room, in memory only (typing notifications are not kept). Each change takes a position in
/// the typing stream; typing expires after the client's timeout. A room's entry stays when it empties, so that a
/// later sync still learns that typing stopped.
/// </summary>
public sealed class TypingTracker : IDisposable
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(2);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RoomTyping> _rooms = new(StringComparer.Ordinal);
    private readonly StreamPositions _positions;
    private readonly SyncNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly ITimer _expiry;

    public TypingTracker(StreamPositions positions, SyncNotifier notifier, TimeProvider time)
    {
        _positions = positions;
        _notifier = notifier;
        _time = time;
        _expiry = time.CreateTimer(_ => Expire(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Set(string roomId, string userId, bool typing, TimeSpan timeout)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(roomId, out var room))
            {
                _rooms[roomId] = room = new RoomTyping();
            }

            var changed = typing ? !room.Typers.ContainsKey(userId) : room.Typers.Remove(userId);
            if (typing)
            {
                room.Typers[userId] = _time.GetUtcNow() + (timeout > MaxTimeout ? MaxTimeout : timeout);
            }

            if (!changed)
            {
                return;
            }

            room.ChangedAt = _positions.Advance(StreamName.Typing);
        }

        _notifier.NotifyRoom(roomId);
    }

    /// <summary>The users typing in the room, when that changed after <paramref name="since"/> (null since: whenever anyone types).</summary>
    public IReadOnlyList<string>? ChangedSince(string roomId, long? since)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(roomId, out var room) || (since is { } s ? room.ChangedAt <= s : room.Typers.Count == 0))
            {
                return null;
            }

            return [.. room.Typers.Keys];
        }
    }

    public void Dispose() => _expiry.Dispose();

    private void Expire()
    {
        var now = _time.GetUtcNow();
        var changedRooms = new List<string>();
        lock (_lock)
        {
            foreach (var (roomId, room) in _rooms)
            {
                var expired = room.Typers.Where(t => t.Value <= now).Select(t => t.Key).ToList();
                if (expired.Count > 0)
                {
                    expired.ForEach(u => room.Typers.Remove(u));
                    room.ChangedAt = _positions.Advance(StreamName.Typing);
                    changedRooms.Add(roomId);
                }
            }
        }

        changedRooms.ForEach(_notifier.NotifyRoom);
    }

    private sealed class RoomTyping
    {
        public Dictionary<string, DateTimeOffset> Typers { get; } = new(StringComparer.Ordinal);

        public long ChangedAt { get; set; }
    }
}
