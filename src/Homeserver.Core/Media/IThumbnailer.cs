namespace Homeserver.Core.Media;

/// <summary>The port for decoding images and encoding thumbnails.</summary>
public interface IThumbnailer
{
    /// <summary>
    /// Thumbnails the image in <paramref name="source"/> (seekable, disposed by the thumbnailer) without upscaling it.
    /// Images of more than <paramref name="maxSourcePixels"/> pixels are refused before they are decoded.
    /// </summary>
    Task<ThumbnailResult> CreateAsync(Stream source, ThumbnailRequest request, long maxSourcePixels, CancellationToken cancellationToken);
}
