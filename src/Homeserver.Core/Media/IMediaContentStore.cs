namespace Homeserver.Core.Media;

/// <summary>The port for the bytes of media and their thumbnails, stored by content hash so identical uploads are kept once.</summary>
public interface IMediaContentStore
{
    /// <summary>
    /// Streams <paramref name="content"/> to storage while hashing it, never holding it whole in memory.
    /// Null, with nothing kept, when it is longer than <paramref name="maxBytes"/>.
    /// </summary>
    Task<StoredContent?> StoreAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>The stored content, seekable; null when it is missing.</summary>
    Stream? OpenContent(string sha256);

    /// <summary>A cached thumbnail of the content, by its variant name (size and method); null when none is cached.</summary>
    CachedThumbnail? OpenThumbnail(string sha256, string variant);

    Task SaveThumbnailAsync(string sha256, string variant, string contentType, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
