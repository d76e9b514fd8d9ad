namespace Homeserver.Core.Media.Preview;

/// <param name="MaxPageBytes">How much of a page is read for its OpenGraph tags (they are in the head).</param>
/// <param name="MaxImageBytes">Larger preview images are left out of the preview.</param>
public sealed record UrlPreviewPolicy(bool Enabled, long MaxPageBytes, long MaxImageBytes);
