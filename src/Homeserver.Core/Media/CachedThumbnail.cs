namespace Homeserver.Core.Media;

/// <summary>A thumbnail read back from the content store's cache; the caller disposes the stream.</summary>
public sealed record CachedThumbnail(Stream Content, string ContentType, long Length);
