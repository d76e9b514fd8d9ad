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

    /// <summary>Writes the batch in one transaction.</summary>
    Task PersistAsync(PersistBatch batch, CancellationToken cancellationToken);
}
