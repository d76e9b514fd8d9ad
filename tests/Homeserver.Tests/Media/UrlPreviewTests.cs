using System.Net;
using System.Text;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Homeserver.Tests.Media;

/// <summary>
/// URL previews (<c>GET /_matrix/client/v1/media/preview_url</c>). Every page is served on loopback by the test
/// itself; the refused addresses are refused before any connection is made.
/// </summary>
public sealed class UrlPreviewTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Loopback_private_and_link_local_addresses_are_refused_by_default(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("ssrf" + provider.ToString().ToLowerInvariant());
        await using var site = await TestSite.StartAsync();

        async Task<(HttpStatusCode, string?)> Preview(string url)
        {
            var (response, body) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v1/media/preview_url?url={Uri.EscapeDataString(url)}", accessToken: token);
            return (response.StatusCode, (string?)body?["errcode"]);
        }

        foreach (var url in new[]
        {
            $"http://127.0.0.1:{site.Port}/page",
            $"http://localhost:{site.Port}/page",
            $"http://[::ffff:127.0.0.1]:{site.Port}/page",
            "http://[::1]/",
            "http://10.0.0.1/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://0.0.0.0/",
        })
        {
            Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), await Preview(url));
        }

        Assert.Equal(0, site.Requests);
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Preview("file:///etc/passwd"));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Preview("not a url"));
        var (missing, missingBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v1/media/preview_url", accessToken: token);
        Assert.Equal((HttpStatusCode.BadRequest, "M_MISSING_PARAM"), (missing.StatusCode, (string?)missingBody!["errcode"]));
        var (anonymous, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v1/media/preview_url?url=https%3A%2F%2Fexample.org");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task An_allowed_page_is_previewed_with_its_image_copied_into_the_repository(DatabaseProvider provider)
    {
        await using var site = await TestSite.StartAsync();
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Media:UrlPreview:AllowedNetworks:0=127.0.0.0/8",
            "--Homeserver:Media:UrlPreview:TimeoutSeconds=2");
        var (_, token) = await server.CreateUserAsync("preview");

        var (response, preview) = await server.SendAsync(HttpMethod.Get,
            $"/_matrix/client/v1/media/preview_url?url={Uri.EscapeDataString($"http://127.0.0.1:{site.Port}/page")}", accessToken: token);
        var (legacy, _) = await server.SendAsync(HttpMethod.Get,
            $"/_matrix/media/v3/preview_url?url={Uri.EscapeDataString($"http://127.0.0.1:{site.Port}/page")}", accessToken: token);
        var (slow, slowBody) = await server.SendAsync(HttpMethod.Get,
            $"/_matrix/client/v1/media/preview_url?url={Uri.EscapeDataString($"http://127.0.0.1:{site.Port}/slow")}", accessToken: token);
        var (missing, _) = await server.SendAsync(HttpMethod.Get,
            $"/_matrix/client/v1/media/preview_url?url={Uri.EscapeDataString($"http://127.0.0.1:{site.Port}/missing")}", accessToken: token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("A page & its title", (string?)preview!["og:title"]);
        Assert.Equal("What the page is about", (string?)preview["og:description"]);
        Assert.Equal("image/png", (string?)preview["og:image:type"]);
        Assert.Equal(TestSite.Image.Length, (long)preview["matrix:image:size"]!);
        var image = (string)preview["og:image"]!;
        using var download = await server.GetMediaAsync($"/_matrix/client/v1/media/download/{MediaClient.PathOf(image)}", token);
        Assert.Equal(TestSite.Image, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal((HttpStatusCode.BadGateway, "M_UNKNOWN"), (slow.StatusCode, (string?)slowBody!["errcode"]));
        Assert.Equal(HttpStatusCode.BadGateway, missing.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Previews_can_be_turned_off(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Media:UrlPreview:Enabled=false");
        var (_, token) = await server.CreateUserAsync("nopreview");

        var (response, body) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v1/media/preview_url?url=https%3A%2F%2Fexample.org", accessToken: token);

        Assert.Equal((HttpStatusCode.NotFound, "M_UNRECOGNIZED"), (response.StatusCode, (string?)body!["errcode"]));
    }

    /// <summary>A web site on loopback: a page with OpenGraph tags and a relative image, a page that never answers.</summary>
    private sealed class TestSite : IAsyncDisposable
    {
        public static readonly byte[] Image = TestImages.Png(120, 80);

        private readonly WebApplication _app;
        private int _requests;

        private TestSite(WebApplication app) => _app = app;

        public int Port { get; private set; }

        public int Requests => _requests;

        public static async Task<TestSite> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var site = new TestSite(app);
            app.Use((context, next) =>
            {
                Interlocked.Increment(ref site._requests);
                return next(context);
            });
            app.MapGet("/page", () => Results.Content(
                """
                <!doctype html><html><head><meta charset="utf-8">
                <title>ignored, og:title wins</title>
                <meta property="og:title" content="A page &amp; its title">
                <meta name="description" content='What the page is about'>
                <meta property="og:image" content="/images/cat.png">
                </head><body>Hello</body></html>
                """, "text/html; charset=utf-8", Encoding.UTF8));
            app.MapGet("/images/cat.png", () => Results.Bytes(Image, "image/png"));
            app.MapGet("/slow", async (CancellationToken cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
                return Results.Ok();
            });
            await app.StartAsync();
            site.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
            return site;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
