using System.Globalization;
using Homeserver.Core.Errors;

namespace Homeserver.Core.Media;

/// <summary>The size and method a client asks a thumbnail in, parsed from the query string.</summary>
/// <param name="Animated">The client's <c>animated</c> preference; null when it did not say.</param>
public sealed record ThumbnailRequest(int Width, int Height, ThumbnailMethod Method, bool? Animated = null)
{
    /// <summary>Larger requests are refused: no image the server thumbnails is this large in either dimension.</summary>
    public const int MaxDimension = 10_000;

    // The sizes the spec says servers SHOULD produce ("Thumbnails"). Requests are rounded up to one of them so that
    // every client asking for roughly the same size shares one cached file, and a client cannot fill the disk by
    // asking for every size between 1 and 800.
    private static readonly ThumbnailRequest[] StandardSizes =
    [
        new(32, 32, ThumbnailMethod.Crop),
        new(96, 96, ThumbnailMethod.Crop),
        new(320, 240, ThumbnailMethod.Scale),
        new(640, 480, ThumbnailMethod.Scale),
        new(800, 600, ThumbnailMethod.Scale),
    ];

    /// <summary>The name of the cached file for this size and method.</summary>
    public string Variant => FormattableString.Invariant($"{Width}x{Height}-{(Method == ThumbnailMethod.Crop ? "crop" : "scale")}");

    /// <exception cref="MatrixException">400 for missing, non-integer, non-positive or too large dimensions or an unknown method.</exception>
    public static ThumbnailRequest Parse(string? width, string? height, string? method, string? animated)
    {
        var w = ParseDimension("width", width);
        var h = ParseDimension("height", height);
        var m = method switch
        {
            null or "" or "scale" => ThumbnailMethod.Scale,
            "crop" => ThumbnailMethod.Crop,
            _ => throw MatrixException.InvalidParam("method must be crop or scale"),
        };
        return new ThumbnailRequest(w, h, m, MediaQuery.ParseBoolean("animated", animated));
    }

    /// <summary>The smallest standard size of the same method that is at least as large; this request when there is none.</summary>
    public ThumbnailRequest RoundedToStandardSize() =>
        StandardSizes.FirstOrDefault(s => s.Method == Method && s.Width >= Width && s.Height >= Height) is { } standard
            ? standard with { Animated = Animated }
            : this;

    private static int ParseDimension(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw MatrixException.MissingParam($"The {name} of the thumbnail is required");
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var result) || result < 1 || result > MaxDimension)
        {
            throw MatrixException.InvalidParam($"{name} must be an integer from 1 to {MaxDimension}");
        }

        return result;
    }
}
