namespace Homeserver.Core.Federation;

/// <summary>The durable per-destination queue (DESIGN.md §4): PDU rows come with their events, EDU rows through here.</summary>
public interface IFederationOutboxStore
{
    /// <summary>Every destination with queued items, for the catch-up at start.</summary>
    Task<IReadOnlyList<string>> GetDestinationsAsync(CancellationToken cancellationToken);

    /// <summary>The oldest queued items of a destination, at most so many PDUs and EDUs, in queue order.</summary>
    Task<IReadOnlyList<OutboxItem>> PeekAsync(string destination, int maxPdus, int maxEdus, CancellationToken cancellationToken);

    /// <summary>Removes the destination's items up to and including a position, once they were delivered.</summary>
    Task RemoveAsync(string destination, long upToPosition, CancellationToken cancellationToken);

    Task AddEdusAsync(IReadOnlyList<(string Destination, string EduJson)> edus, CancellationToken cancellationToken);
}
