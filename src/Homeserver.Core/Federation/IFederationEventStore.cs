namespace Homeserver.Core.Federation;

/// <summary>The events as federation serves them: the JSON as stored (signed; the redacted form once redacted).</summary>
public interface IFederationEventStore
{
    /// <summary>A timeline event (no outlier): its room, the snapshot of the state before it, its JSON; null when unknown.</summary>
    Task<PlacedEvent?> FindEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>The state events of a snapshot.</summary>
    Task<IReadOnlyList<FederationEvent>> GetStateAsync(long snapshotNid, CancellationToken cancellationToken);

    /// <summary>The union of the auth chains of the given events, the events themselves excluded.</summary>
    Task<IReadOnlyList<FederationEvent>> GetAuthChainAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken);

    /// <summary>The numeric IDs of a snapshot's state events, to ask for the auth chain of a whole state.</summary>
    Task<IReadOnlyList<long>> GetStateEventNidsAsync(long snapshotNid, CancellationToken cancellationToken);

    /// <summary>
    /// The numeric IDs of a snapshot's state events without its member events, but for those of the given users
    /// (<c>send_join</c> with <c>omit_members</c>).
    /// </summary>
    Task<IReadOnlyList<long>> GetStateEventNidsWithoutMembersAsync(long snapshotNid, IReadOnlyCollection<string> keptMembers, CancellationToken cancellationToken);

    /// <summary>Events by numeric ID, oldest first.</summary>
    Task<IReadOnlyList<FederationEvent>> GetEventsAsync(IReadOnlyCollection<long> eventNids, CancellationToken cancellationToken);

    /// <summary>
    /// The room's heroes as the client-server API's room summary names them: the first five to have joined or been
    /// invited of those who still are, <paramref name="exceptUserId"/> left out.
    /// </summary>
    Task<IReadOnlyList<string>> GetHeroesAsync(long roomNid, string exceptUserId, CancellationToken cancellationToken);

    /// <summary>The servers of the room's joined members, ours included.</summary>
    Task<IReadOnlyList<string>> GetJoinedServersAsync(string roomId, CancellationToken cancellationToken);

    /// <summary>
    /// Events reached from <paramref name="fromEventNids"/> (included) by following prev events backwards, the
    /// deepest first, stopping at <paramref name="stopAtNids"/> (excluded), below <paramref name="minDepth"/> or at
    /// <paramref name="limit"/> events.
    /// </summary>
    Task<IReadOnlyList<FederationEvent>> WalkBackAsync(IReadOnlyCollection<long> fromEventNids, IReadOnlyCollection<long> stopAtNids, bool includeStart,
        long minDepth, int limit, CancellationToken cancellationToken);

    /// <summary>The IDs of the room's forward extremities: the events no other event cites yet.</summary>
    Task<IReadOnlyList<string>> GetForwardExtremitiesAsync(long roomNid, CancellationToken cancellationToken);

    /// <summary>
    /// Which of those events the room holds, each with whether it is placed in the room's DAG (neither an outlier
    /// nor rejected).
    /// </summary>
    Task<IReadOnlyDictionary<string, bool>> FindStoredEventsAsync(long roomNid, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken);

    /// <summary>The numeric IDs of those events stored in the room (outliers too).</summary>
    Task<IReadOnlyDictionary<string, long>> FindEventNidsAsync(long roomNid, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken);
}
