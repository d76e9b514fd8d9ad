using Homeserver.Core.Federation;

namespace Homeserver.Federation.Media;

/// <summary>
/// The body of remote media as the content store reads it: every failure of the transfer (broken off, malformed,
/// too slow) surfaces as one <see cref="FederationException"/> naming the origin, the fetch's deadline bounds every
/// read, and disposing the stream releases the answer it comes from.
/// </summary>
internal sealed class RemoteContentStream(Stream inner, string origin, IDisposable response, CancellationTokenSource deadline) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (Exception e) when (IsTransferFailure(e))
        {
            throw Broken(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await inner.ReadAsync(buffer, linked.Token);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new FederationException(origin, null, null, "timed out sending the media", new TimeoutException(e.Message, e));
        }
        catch (Exception e) when (IsTransferFailure(e))
        {
            throw Broken(e);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            response.Dispose();
            deadline.Dispose();
        }

        base.Dispose(disposing);
    }

    // HttpIOException (a connection reset) and the multipart reader's "unexpected end of stream" are IOExceptions;
    // the reader's limits throw InvalidDataException.
    private static bool IsTransferFailure(Exception e) => e is IOException or InvalidDataException or HttpRequestException;

    private FederationException Broken(Exception e) => new(origin, null, null, $"the media broke off or is malformed: {e.Message}", e);
}
