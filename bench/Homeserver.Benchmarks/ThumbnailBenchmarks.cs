using BenchmarkDotNet.Attributes;
using Homeserver.Core.Media;
using Homeserver.Media.Thumbnails;
using SkiaSharp;

namespace Homeserver.Benchmarks;

/// <summary>
/// Thumbnailing a 12-megapixel photo (4000×3000 JPEG, as a phone takes them) to the spec's standard sizes, and the
/// same picture as a PNG, which has no reduced-scale decoding. Allocations are managed memory only: Skia's pixel
/// buffers are native and not counted here (the load generator's media scenario measures the process).
/// </summary>
[MemoryDiagnoser]
public class ThumbnailBenchmarks
{
    private byte[] _jpeg = null!;
    private byte[] _png = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = Photo(SKEncodedImageFormat.Jpeg, 90);
        _png = Photo(SKEncodedImageFormat.Png, 100);
    }

    [Benchmark(Baseline = true)]
    public int Jpeg4000x3000To320x240Scale() => Thumbnail(_jpeg, new ThumbnailRequest(320, 240, ThumbnailMethod.Scale));

    [Benchmark]
    public int Jpeg4000x3000To96x96Crop() => Thumbnail(_jpeg, new ThumbnailRequest(96, 96, ThumbnailMethod.Crop));

    [Benchmark]
    public int Jpeg4000x3000To800x600Scale() => Thumbnail(_jpeg, new ThumbnailRequest(800, 600, ThumbnailMethod.Scale));

    [Benchmark]
    public int Png4000x3000To320x240Scale() => Thumbnail(_png, new ThumbnailRequest(320, 240, ThumbnailMethod.Scale));

    private static int Thumbnail(byte[] image, ThumbnailRequest request)
    {
        using var source = new MemoryStream(image, writable: false);
        return SkiaThumbnailer.Create(source, request, 50_000_000).Data!.Length;
    }

    private static byte[] Photo(SKEncodedImageFormat format, int quality)
    {
        const int width = 4000, height = 3000;
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.DarkGreen, SKColors.Gold, SKColors.SkyBlue],
                SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paint);
            paint.Shader = null;
            // Detail everywhere (noise-like circles), so the encoder cannot shrink the picture to nothing.
            var random = new Random(42);
            for (var i = 0; i < 4000; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 160);
                canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(4, 60), paint);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }
}
