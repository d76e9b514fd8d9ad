namespace Homeserver.Core.Media;

public enum ThumbnailStatus
{
    Created,

    /// <summary>The image is no larger than asked for and can be served as it is.</summary>
    UseOriginal,

    NotAnImage,

    /// <summary>The image has more pixels than the server agrees to decode.</summary>
    TooLarge,
}
