using SkiaSharp;

namespace Homeserver.Tests.Media;

/// <summary>Real images for the tests, drawn and encoded with the same library the server decodes them with.</summary>
internal static class TestImages
{
    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg, 90);

    public static byte[] Png(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png, 100);

    /// <summary>The size of an encoded image, decoded.</summary>
    public static (int Width, int Height) SizeOf(byte[] image)
    {
        using var codec = SKCodec.Create(new MemoryStream(image)) ?? throw new InvalidOperationException("not an image");
        return (codec.Info.Width, codec.Info.Height);
    }

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            // A gradient and a circle: real image content, not a flat colour that every encoder special-cases.
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.OrangeRed, SKColors.SteelBlue],
                SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paint);
            paint.Shader = null;
            paint.Color = SKColors.White;
            canvas.DrawCircle(width / 2f, height / 2f, Math.Min(width, height) / 4f, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }
}
