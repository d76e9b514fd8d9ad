using System.Net;
using System.Text;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Media;

/// <summary>Thumbnails (client-server API, "Thumbnails"), generated from real images on first request and cached.</summary>
public sealed class ThumbnailTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Thumbnails_are_the_requested_size_never_upscaled_and_cached(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("thumb" + provider.ToString().ToLowerInvariant());
        var path = MediaClient.PathOf(await server.UploadBytesAsync(token, TestImages.Jpeg(1600, 1000), "image/jpeg", "photo.jpg"));

        async Task<(string? Type, (int, int) Size, string? Disposition)> Thumbnail(string query)
        {
            using var response = await server.GetMediaAsync($"/_matrix/client/v1/media/thumbnail/{path}?{query}", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            return (response.Content.Headers.ContentType?.MediaType, TestImages.SizeOf(bytes), response.Content.Headers.ContentDisposition?.DispositionType);
        }

        // 1600×1000 fitted into 320×240 is 320×200 (the spec's "scale"); 96×96 crop is exactly 96×96; a 100×100
        // crop is above every standard crop size and is made as asked.
        Assert.Equal(("image/jpeg", (320, 200), "inline"), await Thumbnail("width=320&height=240&method=scale"));
        Assert.Equal(("image/jpeg", (320, 200), "inline"), await Thumbnail("width=300&height=200"));
        Assert.Equal(("image/jpeg", (96, 96), "inline"), await Thumbnail("width=64&height=64&method=crop"));
        Assert.Equal(("image/jpeg", (100, 100), "inline"), await Thumbnail("width=100&height=100&method=crop"));
        Assert.Equal(("image/jpeg", (1600, 1000), "inline"), await Thumbnail("width=2000&height=2000&method=scale"));

        var sha256Directories = Directory.GetDirectories(Path.Combine(server.DataDirectory, "media", "thumbnails"), "*", SearchOption.AllDirectories)
            .Where(d => Path.GetFileName(d).Length == 64);
        var cached = sha256Directories.SelectMany(Directory.GetFiles).Select(Path.GetFileName).Order().ToList();
        Assert.Contains("320x240-scale.jpg", cached);
        Assert.Contains("96x96-crop.jpg", cached);
        Assert.Contains("100x100-crop.jpg", cached);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Images_smaller_than_asked_for_are_served_whole(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("small" + provider.ToString().ToLowerInvariant());
        var jpeg = TestImages.Jpeg(50, 40);
        var jpegPath = MediaClient.PathOf(await server.UploadBytesAsync(token, jpeg, "image/jpeg"));
        var pngPath = MediaClient.PathOf(await server.UploadBytesAsync(token, TestImages.Png(50, 40), "image/png"));

        using var jpegThumbnail = await server.GetMediaAsync($"/_matrix/media/v3/thumbnail/{jpegPath}?width=320&height=240");
        using var pngThumbnail = await server.GetMediaAsync($"/_matrix/client/v1/media/thumbnail/{pngPath}?width=320&height=240&animated=false", token);

        Assert.Equal(jpeg, await jpegThumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", pngThumbnail.Content.Headers.ContentType!.MediaType);
        Assert.Equal((50, 40), TestImages.SizeOf(await pngThumbnail.Content.ReadAsByteArrayAsync()));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task What_cannot_be_thumbnailed_gets_the_spec_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("nothumb" + provider.ToString().ToLowerInvariant());
        var text = MediaClient.PathOf(await server.UploadBytesAsync(token, Encoding.UTF8.GetBytes("hello"), "text/plain"));
        var fake = MediaClient.PathOf(await server.UploadBytesAsync(token, Encoding.UTF8.GetBytes("<html>not a png</html>"), "image/png"));
        var image = MediaClient.PathOf(await server.UploadBytesAsync(token, TestImages.Png(10, 10), "image/png"));

        async Task<(HttpStatusCode, string?)> Get(string path)
        {
            using var response = await server.GetMediaAsync(path, token);
            return (response.StatusCode, await MediaClient.ErrorCodeAsync(response));
        }

        Assert.Equal((HttpStatusCode.BadRequest, "M_UNKNOWN"), await Get($"/_matrix/client/v1/media/thumbnail/{text}?width=32&height=32"));
        Assert.Equal((HttpStatusCode.BadRequest, "M_UNKNOWN"), await Get($"/_matrix/client/v1/media/thumbnail/{fake}?width=32&height=32"));
        Assert.Equal((HttpStatusCode.BadRequest, "M_MISSING_PARAM"), await Get($"/_matrix/client/v1/media/thumbnail/{image}?height=32"));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Get($"/_matrix/client/v1/media/thumbnail/{image}?width=abc&height=32"));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Get($"/_matrix/client/v1/media/thumbnail/{image}?width=-5&height=32"));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Get($"/_matrix/client/v1/media/thumbnail/{image}?width=32&height=32&method=zoom"));
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Get("/_matrix/client/v1/media/thumbnail/localhost/nosuchmedia?width=32&height=32"));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Images_with_too_many_pixels_are_not_decoded(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Media:MaxThumbnailSourcePixels=10000");
        var (_, token) = await server.CreateUserAsync("bomb");
        var path = MediaClient.PathOf(await server.UploadBytesAsync(token, TestImages.Png(200, 200), "image/png"));

        using var response = await server.GetMediaAsync($"/_matrix/client/v1/media/thumbnail/{path}?width=32&height=32", token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE"), (response.StatusCode, await MediaClient.ErrorCodeAsync(response)));
    }
}
