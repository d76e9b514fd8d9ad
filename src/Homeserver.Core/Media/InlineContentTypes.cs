namespace Homeserver.Core.Media;

/// <summary>
/// The content types the spec allows with <c>Content-Disposition: inline</c> ("Serving inline content"): a browser
/// renders them only as what they claim to be, so they cannot carry a cross-site script.
/// </summary>
public static class InlineContentTypes
{
    private static readonly HashSet<string> Safe = new(StringComparer.OrdinalIgnoreCase)
    {
        "text/css", "text/plain", "text/csv", "application/json", "application/ld+json",
        "image/jpeg", "image/gif", "image/png", "image/apng", "image/webp", "image/avif",
        "video/mp4", "video/webm", "video/ogg", "video/quicktime",
        "audio/mp4", "audio/webm", "audio/aac", "audio/mpeg", "audio/ogg", "audio/wave", "audio/wav", "audio/x-wav",
        "audio/x-pn-wav", "audio/flac", "audio/x-flac",
    };

    /// <summary>Compares the media type without its parameters (<c>text/plain; charset=utf-8</c> is <c>text/plain</c>).</summary>
    public static bool IsSafe(string contentType)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return Safe.Contains((semicolon < 0 ? contentType : contentType[..semicolon]).Trim());
    }
}
