namespace Homeserver.Federation.Sending;

/// <summary>The sender's in-memory view of one destination: whether a drain runs, and its backoff.</summary>
internal sealed class DestinationQueue
{
    public Lock Lock { get; } = new();

    /// <summary>A drain loop runs; at most one per destination, so one transaction is in flight.</summary>
    public bool Running { get; set; }

    /// <summary>New rows arrived while the drain ran: it reads the queue again before it stops.</summary>
    public bool Dirty { get; set; }

    public int Failures { get; set; }

    /// <summary>Cancelled to end a backoff early, when the destination contacts us.</summary>
    public CancellationTokenSource? Backoff { get; set; }
}
