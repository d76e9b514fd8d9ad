namespace Homeserver.Core.Media;

/// <summary>An <c>mxc://</c> URI created ahead of its content, and until when it may be uploaded to.</summary>
public sealed record CreatedMedia(string ContentUri, long UnusedExpiresAt);
