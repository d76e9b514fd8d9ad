namespace Homeserver.Core.Rooms.Engine;

/// <summary>The port through which the room engine reads and writes the event store.</summary>
public interface IRoomEventStore
{
    Task<EngineIds> LoadIdsAsync(CancellationToken cancellationToken);

    /// <summary>Null when the room is not known here.</summary>
    Task<LoadedRoom?> LoadRoomAsync(string roomId, CancellationToken cancellationToken);

    /// <summary>The numeric IDs of those (type, state key) pairs that have one.</summary>
    Task<IReadOnlyDictionary<(string Type, string StateKey), long>> FindStateKeysAsync(IReadOnlyCollection<(string Type, string StateKey)> keys, CancellationToken cancellationToken);

    /// <summary>An event and the room it belongs to; null when unknown.</summary>
    Task<(long RoomNid, StoredEvent Event)?> LoadEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Those of the events that are stored here, by event ID, in one read.</summary>
    Task<IReadOnlyDictionary<string, KnownEvent>> LoadEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken);

    /// <summary>The events of the auth chains of the given events (the events themselves excluded), in one read.</summary>
    Task<IReadOnlyList<KnownEvent>> LoadAuthChainAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken);

    /// <summary>The state a snapshot stands for: each state key with its event.</summary>
    Task<IReadOnlyList<(long StateKeyNid, StoredEvent Event)>> LoadSnapshotAsync(long snapshotNid, CancellationToken cancellationToken);

    /// <summary>The complete (parentless) snapshots of a room from the given one on, each with the state keys it holds.</summary>
    Task<IReadOnlyList<(long SnapshotNid, IReadOnlySet<long> StateKeyNids)>> LoadCompleteSnapshotKeysAsync(long roomNid, long fromSnapshotNid, CancellationToken cancellationToken);

    /// <summary>The rooms whose state is partial, with their room versions.</summary>
    Task<IReadOnlyList<(string RoomId, string RoomVersion, PartialState State)>> LoadPartialStateRoomsAsync(CancellationToken cancellationToken);

    /// <summary>The lowest stream position any event holds (backfilled history sits below zero); null when there are none.</summary>
    Task<long?> LoadLowestStreamOrderingAsync(CancellationToken cancellationToken);

    /// <summary>The device's latest <paramref name="limit"/> transaction IDs with the events they sent, newest first.</summary>
    Task<IReadOnlyList<(string TransactionId, string EventId)>> LoadRecentTransactionsAsync(string userId, string deviceId, int limit, CancellationToken cancellationToken);

    /// <summary>Writes the batch in one transaction.</summary>
    Task PersistAsync(PersistBatch batch, CancellationToken cancellationToken);
}
