using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Homeserver.Core.Errors;
using Homeserver.Core.Media;
using Homeserver.Core.Server;
using Homeserver.Federation.Client;
using Homeserver.Federation.Media;
using Homeserver.Protocol.Signing;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Media;
using Homeserver.Tests.Rooms;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Media over federation (server-server API, "Content Repository"): our servers serve their own media as
/// <c>multipart/mixed</c> to signed requests, and fetch other servers' media into their cache. Hostile origins are
/// played by a scripted handler behind the real federation client.
/// </summary>
public sealed class FederationMediaTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    private static int s_stubPort = 20_000;

    [Fact]
    public async Task Media_of_one_server_is_downloaded_and_thumbnailed_through_the_other_then_served_from_its_cache()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var image = TestImages.Png(800, 600);
        var path = MediaClient.PathOf(await a.UploadBytesAsync(aliceToken, image, "image/png", "sunset.png"));
        Assert.StartsWith(a.ServerName + "/", path, StringComparison.Ordinal);

        using (var download = await b.GetMediaAsync($"/_matrix/client/v1/media/download/{path}", bobToken))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal("sunset.png", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            Assert.Equal(image, await download.Content.ReadAsByteArrayAsync());
        }

        using (var thumbnail = await b.GetMediaAsync($"/_matrix/client/v1/media/thumbnail/{path}?width=96&height=96&method=crop", bobToken))
        {
            Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
            Assert.Equal((96, 96), TestImages.SizeOf(await thumbnail.Content.ReadAsByteArrayAsync()));
        }

        await using (var scope = b.Services.CreateAsyncScope())
        {
            var mediaId = path[(a.ServerName.Length + 1)..];
            var cached = await scope.ServiceProvider.GetRequiredService<IMediaStore>().GetAsync(a.ServerName, mediaId, CancellationToken.None);
            Assert.NotNull(cached);
            Assert.Null(cached.Uploader);
            Assert.Equal(("image/png", "sunset.png", (long?)image.Length), (cached.ContentType, cached.UploadName, cached.Size));
        }

        // With A gone, B still has it: the original, and thumbnails of sizes it never made before.
        await a.StopAsync();
        try
        {
            using var again = await b.GetMediaAsync($"/_matrix/client/v1/media/download/{path}", bobToken);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(image, await again.Content.ReadAsByteArrayAsync());
            using var other = await b.GetMediaAsync($"/_matrix/client/v1/media/thumbnail/{path}?width=320&height=240", bobToken);
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
            Assert.Equal((320, 240), TestImages.SizeOf(await other.Content.ReadAsByteArrayAsync()));
        }
        finally
        {
            await a.RestartAsync();
        }
    }

    [Fact]
    public async Task Media_the_origin_does_not_have_is_not_found_and_an_unreachable_origin_is_a_bad_gateway()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));

        using var unknown = await b.GetMediaAsync($"/_matrix/client/v1/media/download/{a.ServerName}/{MediaIds.Generate()}", bobToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("M_NOT_FOUND", await MediaClient.ErrorCodeAsync(unknown));

        // Nothing listens on the discard port of loopback.
        using var unreachable = await b.GetMediaAsync($"/_matrix/client/v1/media/download/127.0.0.1:9/{MediaIds.Generate()}", bobToken);
        Assert.Equal(HttpStatusCode.BadGateway, unreachable.StatusCode);
    }

    [Fact]
    public async Task The_federation_endpoints_answer_signed_requests_with_metadata_then_content()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var image = TestImages.Jpeg(400, 300);
        var mediaId = MediaClient.PathOf(await a.UploadBytesAsync(aliceToken, image, "image/jpeg", "été.jpg"))[(a.ServerName.Length + 1)..];

        using (var response = await SignedRequests.GetRawAsync(b, a, $"/_matrix/federation/v1/media/download/{mediaId}"))
        {
            var (metadata, part, content) = await ReadTwoPartsAsync(response);
            Assert.Equal("{}", metadata);
            Assert.Equal("image/jpeg", part.ContentType);
            Assert.Equal("inline", part.ContentDisposition!.Split(';')[0]);
            Assert.Contains("filename*=UTF-8''%C3%A9t%C3%A9.jpg", part.ContentDisposition, StringComparison.Ordinal);
            Assert.Equal(image, content);
        }

        using (var response = await SignedRequests.GetRawAsync(b, a, $"/_matrix/federation/v1/media/thumbnail/{mediaId}?width=32&height=32&method=crop"))
        {
            var (metadata, part, content) = await ReadTwoPartsAsync(response);
            Assert.Equal("{}", metadata);
            Assert.StartsWith("image/", part.ContentType, StringComparison.Ordinal);
            Assert.Equal((32, 32), TestImages.SizeOf(content));
        }

        var unknown = await SignedRequests.SendAsync(b, a, HttpMethod.Get, $"/_matrix/federation/v1/media/download/{MediaIds.Generate()}");
        Assert.Equal((404, "M_NOT_FOUND"), (unknown.Status, (string?)unknown.Body?["errcode"]));
    }

    [Fact]
    public async Task The_federation_endpoints_refuse_unsigned_requests_and_never_serve_media_of_other_servers()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var path = MediaClient.PathOf(await a.UploadBytesAsync(aliceToken, TestImages.Png(20, 20), "image/png"));
        var mediaId = path[(a.ServerName.Length + 1)..];

        using var unsigned = await a.Federation.GetAsync($"/_matrix/federation/v1/media/download/{mediaId}");
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("M_UNAUTHORIZED", await MediaClient.ErrorCodeAsync(unsigned));
        using var unsignedThumbnail = await a.Federation.GetAsync($"/_matrix/federation/v1/media/thumbnail/{mediaId}?width=32&height=32");
        Assert.Equal(HttpStatusCode.Unauthorized, unsignedThumbnail.StatusCode);

        // B holds a copy of A's media now, but answers for its own media only.
        using (var cached = await b.GetMediaAsync($"/_matrix/client/v1/media/download/{path}", bobToken))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        var fromB = await SignedRequests.SendAsync(a, b, HttpMethod.Get, $"/_matrix/federation/v1/media/download/{mediaId}");
        Assert.Equal((404, "M_NOT_FOUND"), (fromB.Status, (string?)fromB.Body?["errcode"]));
    }

    [Fact]
    public async Task Media_of_an_origin_is_stored_with_its_type_and_name_checked()
    {
        var content = Encoding.UTF8.GetBytes("just some text");
        var stub = new StubOrigin(_ => Multipart(Parts("Content-Type: text/plain; charset=\"utf-8\"\r\nContent-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt", content)));

        var fetch = await FetchThroughStubAsync(stub);

        Assert.Equal(200, fetch.Status);
        Assert.Equal(content, fetch.Bytes);
        Assert.Equal(("text/plain; charset=\"utf-8\"", "résumé.txt", (long?)content.Length), (fetch.Record!.ContentType, fetch.Record.UploadName, fetch.Record.Size));
        Assert.Equal(["/_matrix/federation/v1/media/download/" + fetch.MediaId], stub.Paths);

        var hostileType = await FetchThroughStubAsync(new StubOrigin(_ => Multipart(Parts("Content-Type: text/html; <script>\r\nContent-Disposition: inline; filename=\"a/../b\"", content))));
        Assert.Equal(200, hostileType.Status);
        Assert.Equal(("application/octet-stream", (string?)null), (hostileType.Record!.ContentType, hostileType.Record.UploadName));
    }

    [Fact]
    public async Task An_origin_that_does_not_know_the_federation_endpoint_is_asked_the_deprecated_one_without_remote_fetching()
    {
        var content = TestImages.Png(10, 10);
        var stub = new StubOrigin(request => request.RequestUri!.AbsolutePath.StartsWith("/_matrix/federation/", StringComparison.Ordinal)
            ? Error(HttpStatusCode.NotFound, "M_UNRECOGNIZED")
            : new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("image/png"), ContentDisposition = new ContentDispositionHeaderValue("inline") { FileName = "old.png" } } },
            });

        var fetch = await FetchThroughStubAsync(stub);

        Assert.Equal(200, fetch.Status);
        Assert.Equal(content, fetch.Bytes);
        Assert.Equal(("image/png", "old.png"), (fetch.Record!.ContentType, fetch.Record.UploadName));
        Assert.Equal($"/_matrix/media/v3/download/{Uri.EscapeDataString(fetch.Origin)}/{fetch.MediaId}?allow_remote=false", stub.Paths[^1]);
    }

    public static TheoryData<string, int, string?> HostileAnswers => new()
    {
        { "larger than the limit", 502, "M_TOO_LARGE" },
        { "declared larger than the limit", 502, "M_TOO_LARGE" },
        { "cut off before the closing boundary", 502, "M_UNKNOWN" },
        { "not multipart", 502, "M_UNKNOWN" },
        { "metadata that is not JSON", 502, "M_UNKNOWN" },
        { "one part only", 502, "M_UNKNOWN" },
        { "a redirect", 502, "M_UNKNOWN" },
        { "a server error", 502, "M_UNKNOWN" },
        { "no connection", 502, "M_UNKNOWN" },
        { "not found", 404, "M_NOT_FOUND" },
    };

    [Theory]
    [MemberData(nameof(HostileAnswers))]
    public async Task Media_an_origin_sends_wrongly_is_refused_and_nothing_of_it_is_kept(string answer, int status, string? errorCode)
    {
        const int limit = 1000;
        var big = new byte[limit + 1];
        var stub = new StubOrigin(_ => answer switch
        {
            "larger than the limit" => Multipart(Parts("Content-Type: application/octet-stream", big)),
            "declared larger than the limit" => Multipart(Parts($"Content-Type: application/octet-stream\r\nContent-Length: {1L << 40}", new byte[10])),
            "cut off before the closing boundary" => Multipart(Parts("Content-Type: image/png", new byte[100])[..^12]),
            "not multipart" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[10]) },
            "metadata that is not JSON" => Multipart(Parts("Content-Type: image/png", new byte[10]).Replace("{}", "{]", StringComparison.Ordinal)),
            "one part only" => Multipart("--b0undary\r\nContent-Type: application/json\r\n\r\n{}\r\n--b0undary--\r\n"),
            "a redirect" => Multipart(Parts("Location: http://169.254.169.254/latest/meta-data", [])),
            "a server error" => Error(HttpStatusCode.InternalServerError, "M_UNKNOWN"),
            "no connection" => throw new HttpRequestException("Connection refused"),
            "not found" => Error(HttpStatusCode.NotFound, "M_NOT_FOUND"),
            _ => throw new ArgumentOutOfRangeException(nameof(answer)),
        });

        var fetch = await FetchThroughStubAsync(stub, limit);

        Assert.Equal((status, errorCode), (fetch.Status, fetch.ErrorCode));
        Assert.Null(fetch.Record);
        Assert.Equal(0, fetch.NewFiles);
        Assert.Single(stub.Paths);
    }

    private sealed record StubFetch(string Origin, string MediaId, int Status, string? ErrorCode, byte[]? Bytes, MediaRecord? Record, int NewFiles);

    /// <summary>Asks B's media service for media of a scripted origin, with B's stores and the real federation client.</summary>
    private async Task<StubFetch> FetchThroughStubAsync(StubOrigin stub, long maxBytes = 1_000_000)
    {
        var b = servers.B;
        var origin = $"127.0.0.1:{Interlocked.Increment(ref s_stubPort)}";
        var mediaId = MediaIds.Generate();
        using var http = new HttpClient(stub);
        var client = new FederationHttpClient(http, new ServerResolver(http, new DnsSrvResolver([], TimeProvider.System, NullLogger<DnsSrvResolver>.Instance), TimeProvider.System, NullLogger<ServerResolver>.Instance),
            b.Services.GetRequiredService<ServerIdentity>(), b.Services.GetRequiredService<SigningKey>());
        var source = new FederationMediaSource(client, NullLogger<FederationMediaSource>.Instance);
        var policy = b.Services.GetRequiredService<MediaPolicy>() with { MaxUploadBytes = maxBytes };
        var filesBefore = ContentFiles(b);
        await using var scope = b.Services.CreateAsyncScope();
        var media = ActivatorUtilities.CreateInstance<MediaService>(scope.ServiceProvider, source, policy);
        int status;
        string? errorCode = null;
        byte[]? bytes = null;
        try
        {
            var download = await media.DownloadAsync(MediaAccess.Authenticated, origin, mediaId, null, MediaQuery.Default, CancellationToken.None);
            await using var content = download.Content;
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            (status, bytes) = (200, copy.ToArray());
        }
        catch (MatrixException e)
        {
            (status, errorCode) = (e.StatusCode, e.ErrorCode.Value);
        }

        var record = await scope.ServiceProvider.GetRequiredService<IMediaStore>().GetAsync(origin, mediaId, CancellationToken.None);
        return new StubFetch(origin, mediaId, status, errorCode, bytes, record, ContentFiles(b) - filesBefore);
    }

    /// <summary>Files in B's content store, half-written ones included, thumbnails not.</summary>
    private static int ContentFiles(TestHomeserver server)
    {
        var root = Path.Combine(server.DataDirectory, "media");
        var thumbnails = Path.Combine(root, "thumbnails") + Path.DirectorySeparatorChar;
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Count(f => !f.StartsWith(thumbnails, StringComparison.Ordinal)) : 0;
    }

    private static string Parts(string contentHeaders, byte[] content) =>
        $"--b0undary\r\nContent-Type: application/json\r\n\r\n{{}}\r\n--b0undary\r\n{contentHeaders}\r\n\r\n{Encoding.Latin1.GetString(content)}\r\n--b0undary--\r\n";

    private static HttpResponseMessage Multipart(string body) =>
        new(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(Encoding.Latin1.GetBytes(body)) { Headers = { ContentType = MediaTypeHeaderValue.Parse("multipart/mixed; boundary=b0undary") } },
        };

    private static HttpResponseMessage Error(HttpStatusCode status, string errorCode) =>
        new(status) { Content = new StringContent($$"""{"errcode":"{{errorCode}}","error":"scripted"}""", Encoding.UTF8, "application/json") };

    private static async Task<(string Metadata, MultipartSection Part, byte[] Content)> ReadTwoPartsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var type = response.Content.Headers.ContentType!;
        Assert.Equal("multipart/mixed", type.MediaType);
        var boundary = type.Parameters.Single(p => p.Name == "boundary").Value!.Trim('"');
        var reader = new MultipartReader(boundary, await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadNextSectionAsync();
        Assert.Equal("application/json", first!.ContentType);
        var metadata = await new StreamReader(first.Body).ReadToEndAsync();
        var second = await reader.ReadNextSectionAsync();
        Assert.NotNull(second);
        using var content = new MemoryStream();
        await second.Body.CopyToAsync(content);
        Assert.Null(await reader.ReadNextSectionAsync());
        return (metadata, second, content.ToArray());
    }
}
