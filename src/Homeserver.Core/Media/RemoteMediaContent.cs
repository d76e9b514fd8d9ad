namespace Homeserver.Core.Media;

/// <summary>
/// Media being received from another server: its body, read once and streamed, and what the origin says about it.
/// Disposing it releases the connection.
/// </summary>
/// <param name="ContentType">As the origin sent it: untrusted, checked before it is kept.</param>
/// <param name="FileName">From the origin's <c>Content-Disposition</c>: untrusted too.</param>
/// <param name="Length">The length the origin declared, when it did, so that media too large is refused unread.</param>
public sealed record RemoteMediaContent(Stream Content, string? ContentType, string? FileName, long? Length) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
