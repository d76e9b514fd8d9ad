namespace Homeserver.Core.Federation;

/// <summary>The events as federation serves them: the JSON as stored (signed, unredacted unless redacted here).</summary>
public interface IFederationEventStore
{
    /// <summary>The event's place: its room and the snapshot of the state before it; null when unknown or an outlier.</summary>
    Task<(string RoomId, long? SnapshotNidBefore, long EventNid)?> FindEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>The events of a state snapshot.</summary>
    Task<IReadOnlyList<string>> GetStateAsync(long snapshotNid, CancellationToken cancellationToken);

    /// <summary>The union of the auth chains of the given events, the events themselves excluded.</summary>
    Task<IReadOnlyList<string>> GetAuthChainAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken);

    /// <summary>The servers of the room's joined members, ours included.</summary>
    Task<IReadOnlyList<string>> GetJoinedServersAsync(string roomId, CancellationToken cancellationToken);

    /// <summary>The state events' numeric IDs of a snapshot, for auth chains of a whole state.</summary>
    Task<IReadOnlyList<long>> GetStateEventNidsAsync(long snapshotNid, CancellationToken cancellationToken);
}
