using System.Threading.Channels;

namespace Homeserver.Core.Federation;

/// <summary>
/// Tells the worker that completes partial states which room was just joined with one. The rows of
/// <c>partial_state_rooms</c> are the truth (the worker resumes them at start); this only saves it from polling.
/// </summary>
public sealed class PartialStateSignal
{
    private readonly Channel<string> _rooms = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<string> Reader => _rooms.Reader;

    public void Joined(string roomId) => _rooms.Writer.TryWrite(roomId);
}
