namespace Homeserver.Core.Media;

/// <summary>What the thumbnailer made of an image: an encoded thumbnail, or why there is none.</summary>
/// <param name="ContentType">The thumbnail's type when created; the original's real type (as decoded) for <see cref="ThumbnailStatus.UseOriginal"/>.</param>
public sealed record ThumbnailResult(ThumbnailStatus Status, byte[]? Data = null, string? ContentType = null, int Width = 0, int Height = 0)
{
    public static ThumbnailResult NotAnImage { get; } = new(ThumbnailStatus.NotAnImage);

    public static ThumbnailResult TooLarge { get; } = new(ThumbnailStatus.TooLarge);
}
