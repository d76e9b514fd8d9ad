namespace Homeserver.Core.Media;

/// <summary>The thumbnail methods of the spec ("Thumbnails").</summary>
public enum ThumbnailMethod
{
    /// <summary>Keeps the aspect ratio; the result fits the requested box.</summary>
    Scale,

    /// <summary>Takes the aspect ratio of the requested box, cropping the middle of the image.</summary>
    Crop,
}
