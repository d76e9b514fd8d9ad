namespace Homeserver.Core.Sync.Streams;

/// <summary>
/// Wakes long-polling <c>/sync</c> requests when something they would return was committed. A waiter is keyed by
/// its user and the rooms it is in, so that an event wakes only the members of its room.
/// </summary>
public sealed class SyncNotifier
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<SyncWaiter>> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<SyncWaiter>> _byRoom = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers before the caller looks for new data, so that data committed between that look and the wait still
    /// wakes it. Dispose the waiter when done.
    /// </summary>
    public SyncWaiter Register(string userId, IReadOnlyCollection<string> roomIds)
    {
        var waiter = new SyncWaiter(this, userId, roomIds);
        lock (_lock)
        {
            Add(_byUser, userId, waiter);
            foreach (var roomId in roomIds)
            {
                Add(_byRoom, roomId, waiter);
            }
        }

        return waiter;
    }

    public void NotifyUser(string userId) => NotifyUsers([userId]);

    public void NotifyUsers(IEnumerable<string> userIds)
    {
        lock (_lock)
        {
            foreach (var userId in userIds)
            {
                Wake(_byUser, userId);
            }
        }
    }

    public void NotifyRoom(string roomId)
    {
        lock (_lock)
        {
            Wake(_byRoom, roomId);
        }
    }

    internal void Unregister(SyncWaiter waiter)
    {
        lock (_lock)
        {
            Remove(_byUser, waiter.UserId, waiter);
            foreach (var roomId in waiter.RoomIds)
            {
                Remove(_byRoom, roomId, waiter);
            }
        }
    }

    private static void Add(Dictionary<string, HashSet<SyncWaiter>> index, string key, SyncWaiter waiter)
    {
        if (!index.TryGetValue(key, out var set))
        {
            index[key] = set = [];
        }

        set.Add(waiter);
    }

    private static void Remove(Dictionary<string, HashSet<SyncWaiter>> index, string key, SyncWaiter waiter)
    {
        if (index.TryGetValue(key, out var set) && set.Remove(waiter) && set.Count == 0)
        {
            index.Remove(key);
        }
    }

    private static void Wake(Dictionary<string, HashSet<SyncWaiter>> index, string key)
    {
        if (index.TryGetValue(key, out var set))
        {
            foreach (var waiter in set)
            {
                waiter.Wake();
            }
        }
    }
}
