using Homeserver.Core.Media;
using SkiaSharp;

namespace Homeserver.Media.Thumbnails;

/// <summary>
/// Thumbnails with SkiaSharp. JPEGs are decoded at a reduced scale by the codec itself (libjpeg-turbo's DCT
/// scaling), so a 4000×3000 photo is never expanded to full size for a 320×240 thumbnail; EXIF orientation is
/// applied. JPEG sources give JPEG thumbnails, everything else PNG (it keeps transparency).
/// </summary>
public sealed class SkiaThumbnailer : IThumbnailer, IDisposable
{
    private const int JpegQuality = 85;

    // Decoding is CPU- and memory-bound: more at once than there are cores only adds memory.
    private readonly SemaphoreSlim _gate = new(Environment.ProcessorCount);

    public async Task<ThumbnailResult> CreateAsync(Stream source, ThumbnailRequest request, long maxSourcePixels, CancellationToken cancellationToken)
    {
        await using (source)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                return Create(source, request, maxSourcePixels);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The synchronous core, for benchmarks; <paramref name="source"/> must be seekable and stays open.</summary>
    public static ThumbnailResult Create(Stream source, ThumbnailRequest request, long maxSourcePixels)
    {
        using var managed = new SKManagedStream(source, disposeManagedStream: false);
        using var codec = SKCodec.Create(managed);
        if (codec is null || ContentType(codec.EncodedFormat) is not { } sourceType)
        {
            return ThumbnailResult.NotAnImage;
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width < 1 || height < 1)
        {
            return ThumbnailResult.NotAnImage;
        }

        if ((long)width * height > maxSourcePixels)
        {
            return ThumbnailResult.TooLarge;
        }

        var origin = codec.EncodedOrigin;
        var swapsAxes = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (shownWidth, shownHeight) = swapsAxes ? (height, width) : (width, height);
        var isJpeg = codec.EncodedFormat == SKEncodedImageFormat.Jpeg;
        if (shownWidth <= request.Width && shownHeight <= request.Height)
        {
            // The spec: content smaller than asked for is served as it is. An original that may be animated (GIF,
            // WebP, APNG) is served only when the client asked for animation; a rotated JPEG is re-encoded upright.
            var mayAnimate = !isJpeg && codec.EncodedFormat != SKEncodedImageFormat.Bmp;
            if ((isJpeg && origin == SKEncodedOrigin.TopLeft) || (mayAnimate && request.Animated == true))
            {
                return new ThumbnailResult(ThumbnailStatus.UseOriginal, ContentType: sourceType, Width: shownWidth, Height: shownHeight);
            }
        }

        var (scaledWidth, scaledHeight, outWidth, outHeight) = Layout(shownWidth, shownHeight, request);
        using var decoded = Decode(codec, swapsAxes ? scaledHeight : scaledWidth, swapsAxes ? scaledWidth : scaledHeight);
        if (decoded is null)
        {
            return ThumbnailResult.NotAnImage;
        }

        var opaque = isJpeg || codec.Info.AlphaType == SKAlphaType.Opaque;
        using var surface = SKSurface.Create(new SKImageInfo(outWidth, outHeight, SKImageInfo.PlatformColorType, opaque ? SKAlphaType.Opaque : SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);
        // Centre the scaled image on the output (for crop, the overflow falls outside), then scale, then orient.
        canvas.Translate((outWidth - scaledWidth) / 2f, (outHeight - scaledHeight) / 2f);
        var (decodedShownWidth, decodedShownHeight) = swapsAxes ? (decoded.Height, decoded.Width) : (decoded.Width, decoded.Height);
        canvas.Scale((float)scaledWidth / decodedShownWidth, (float)scaledHeight / decodedShownHeight);
        canvas.Concat(Orientation(origin, decoded.Width, decoded.Height));
        using var image = SKImage.FromBitmap(decoded);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        canvas.Flush();

        using var snapshot = surface.Snapshot();
        using var data = isJpeg ? snapshot.Encode(SKEncodedImageFormat.Jpeg, JpegQuality) : snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return new ThumbnailResult(ThumbnailStatus.Created, data.ToArray(), isJpeg ? "image/jpeg" : "image/png", outWidth, outHeight);
    }

    /// <summary>
    /// The size the whole image is scaled to and the size of the output. "scale" fits the image in the box, as
    /// Synapse does (the spec's "either the width or the height is smaller than the requested size"); "crop"
    /// covers the box and cuts the overflow. Neither ever upscales (the spec's MUST NOT).
    /// </summary>
    internal static (int ScaledWidth, int ScaledHeight, int OutWidth, int OutHeight) Layout(int width, int height, ThumbnailRequest request)
    {
        var fit = Math.Min((double)request.Width / width, (double)request.Height / height);
        var cover = Math.Max((double)request.Width / width, (double)request.Height / height);
        var factor = Math.Min(1.0, request.Method == ThumbnailMethod.Crop ? cover : fit);
        var scaledWidth = Math.Max(1, (int)Math.Round(width * factor));
        var scaledHeight = Math.Max(1, (int)Math.Round(height * factor));
        return request.Method == ThumbnailMethod.Crop
            ? (scaledWidth, scaledHeight, Math.Min(request.Width, scaledWidth), Math.Min(request.Height, scaledHeight))
            : (scaledWidth, scaledHeight, scaledWidth, scaledHeight);
    }

    /// <summary>Decodes at the smallest scale the codec supports that is still at least the needed size.</summary>
    private static SKBitmap? Decode(SKCodec codec, int neededWidth, int neededHeight)
    {
        var size = codec.Info.Size;
        for (var eighths = 1; eighths <= 8; eighths++)
        {
            var candidate = codec.GetScaledDimensions(eighths / 8f);
            if (candidate.Width >= neededWidth && candidate.Height >= neededHeight)
            {
                size = candidate;
                break;
            }
        }

        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType,
            codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is SKCodecResult.Success or SKCodecResult.IncompleteInput)
        {
            return bitmap;
        }

        bitmap.Dispose();
        return null;
    }

    /// <summary>Maps the stored pixels (width × height) to the upright picture that EXIF orientation describes.</summary>
    private static SKMatrix Orientation(SKEncodedOrigin origin, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    private static string? ContentType(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => "image/jpeg",
        SKEncodedImageFormat.Png => "image/png",
        SKEncodedImageFormat.Gif => "image/gif",
        SKEncodedImageFormat.Webp => "image/webp",
        SKEncodedImageFormat.Bmp => "image/bmp",
        _ => null,
    };
}
