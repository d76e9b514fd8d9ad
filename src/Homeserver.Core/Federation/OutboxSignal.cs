using System.Threading.Channels;

namespace Homeserver.Core.Federation;

/// <summary>
/// Tells the federation sender which destinations have new rows in the outbox, once they are committed, and which
/// servers have just contacted us (so are up again). The rows are the truth; this only saves the sender from polling.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<(string Destination, bool Contacted)> _wakes =
        Channel.CreateUnbounded<(string Destination, bool Contacted)>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<(string Destination, bool Contacted)> Reader => _wakes.Reader;

    public void Wake(IEnumerable<string> destinations)
    {
        foreach (var destination in destinations)
        {
            _wakes.Writer.TryWrite((destination, false));
        }
    }

    /// <summary>A request from the server arrived: whatever waits for it is retried now rather than after its backoff.</summary>
    public void Contacted(string server) => _wakes.Writer.TryWrite((server, true));
}
