namespace Homeserver.Core.Media;

/// <summary>Content ready to send: the caller disposes the stream.</summary>
/// <param name="FileName">The name for the <c>Content-Disposition</c> header; null leaves it out.</param>
/// <param name="Inline">Whether the type is safe to show inline (spec "Serving inline content"); otherwise an attachment.</param>
/// <param name="ETag">A strong validator: the content hash, plus the variant for thumbnails.</param>
public sealed record MediaDownload(Stream Content, string ContentType, string? FileName, bool Inline, string ETag);
