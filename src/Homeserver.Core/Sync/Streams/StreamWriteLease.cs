namespace Homeserver.Core.Sync.Streams;

/// <summary>
/// The right to write one stream: hands out its next positions and, once the caller's transaction has committed,
/// publishes them. Positions allocated but never published (a failed commit) leave a harmless gap.
/// </summary>
public sealed class StreamWriteLease : IDisposable
{
    private readonly StreamPositions _positions;
    private bool _disposed;

    internal StreamWriteLease(StreamPositions positions, StreamName stream)
    {
        _positions = positions;
        Stream = stream;
    }

    public StreamName Stream { get; }

    public long Next()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _positions.Allocate(Stream);
    }

    /// <summary>Call after the commit: readers may now see everything allocated so far.</summary>
    public long Publish()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var position = _positions.Allocated(Stream);
        _positions.Publish(Stream, position);
        return position;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _positions.Release(Stream);
        }
    }
}
