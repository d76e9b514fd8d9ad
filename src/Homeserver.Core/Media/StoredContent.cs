namespace Homeserver.Core.Media;

/// <summary>Content written to the content store, named by its SHA-256 (lower-case hex).</summary>
public sealed record StoredContent(string Sha256, long Length);
