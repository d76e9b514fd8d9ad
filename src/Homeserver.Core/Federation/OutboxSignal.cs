using System.Threading.Channels;

namespace Homeserver.Core.Federation;

/// <summary>
/// Tells the federation sender which destinations have new rows in the outbox, once they are committed. The rows are
/// the truth; this only saves the sender from polling.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<string> _destinations = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<string> Reader => _destinations.Reader;

    public void Wake(IEnumerable<string> destinations)
    {
        foreach (var destination in destinations)
        {
            _destinations.Writer.TryWrite(destination);
        }
    }
}
