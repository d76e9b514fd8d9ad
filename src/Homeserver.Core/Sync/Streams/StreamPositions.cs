namespace Homeserver.Core.Sync.Streams;

/// <summary>
/// Allocates and publishes the positions of every stream. A writer holds a stream's lease from allocation until
/// after its commit, so positions commit in order; a published position therefore promises that every lower
/// position is committed, and a sync that reads up to it can never skip a row that commits later.
/// </summary>
public sealed class StreamPositions
{
    private static readonly int Count = Enum.GetValues<StreamName>().Length;

    private readonly long[] _allocated = new long[Count];
    private readonly long[] _published = new long[Count];
    private readonly SemaphoreSlim[] _writers = [.. Enumerable.Range(0, Count).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Sets a stream's highest committed position, read from the database at start-up.</summary>
    public void Initialize(StreamName stream, long position)
    {
        _allocated[(int)stream] = position;
        Volatile.Write(ref _published[(int)stream], position);
    }

    public long Published(StreamName stream) => Volatile.Read(ref _published[(int)stream]);

    /// <summary>The published position of every stream, in <see cref="StreamName"/> order.</summary>
    public long[] Snapshot()
    {
        var positions = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            positions[i] = Volatile.Read(ref _published[i]);
        }

        return positions;
    }

    /// <summary>Waits for the stream's single writer slot; dispose the lease after the commit (or the failure).</summary>
    public async Task<StreamWriteLease> BeginWriteAsync(StreamName stream, CancellationToken cancellationToken)
    {
        await _writers[(int)stream].WaitAsync(cancellationToken);
        return new StreamWriteLease(this, stream);
    }

    /// <summary>Takes and publishes the next position of a stream that lives in memory only (typing), with nothing to commit.</summary>
    public long Advance(StreamName stream)
    {
        var position = Interlocked.Increment(ref _allocated[(int)stream]);
        Publish(stream, position);
        return position;
    }

    internal long Allocate(StreamName stream) => ++_allocated[(int)stream];

    internal long Allocated(StreamName stream) => _allocated[(int)stream];

    internal void Publish(StreamName stream, long position)
    {
        ref var published = ref _published[(int)stream];
        var current = Volatile.Read(ref published);
        while (position > current)
        {
            var seen = Interlocked.CompareExchange(ref published, position, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    internal void Release(StreamName stream) => _writers[(int)stream].Release();
}
