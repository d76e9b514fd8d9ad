using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Media;

/// <summary>Uploads, created media and downloads (client-server API, "Content repository").</summary>
public sealed class ContentRepositoryTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task An_upload_is_downloaded_byte_for_byte_on_every_download_path(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("up" + provider.ToString().ToLowerInvariant());
        var png = TestImages.Png(64, 48);

        var mxc = await server.UploadBytesAsync(token, png, "image/png", "cat picture.png");
        var path = MediaClient.PathOf(mxc);

        Assert.Matches("^mxc://localhost/[A-Za-z0-9_-]+$", mxc);
        foreach (var (url, auth) in new[]
        {
            ($"/_matrix/client/v1/media/download/{path}", token),
            ($"/_matrix/media/v3/download/{path}", null),
            ($"/_matrix/media/r0/download/{path}", null),
        })
        {
            using var response = await server.GetMediaAsync(url, auth);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(png, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("inline", response.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("cat picture.png", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName?.Trim('"'));
            Assert.StartsWith("sandbox; default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("cross-origin", response.Headers.GetValues("Cross-Origin-Resource-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }

        using var renamed = await server.GetMediaAsync($"/_matrix/client/v1/media/download/{path}/other%20name.png", token);
        Assert.Equal("other name.png", renamed.Content.Headers.ContentDisposition!.FileNameStar ?? renamed.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Equal(png, await renamed.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Unsafe_types_are_attachments_and_missing_types_are_octet_streams(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("types" + provider.ToString().ToLowerInvariant());
        var html = await server.UploadBytesAsync(token, "<script>alert(1)</script>"u8.ToArray(), "text/html");
        var (untypedResponse, untypedBody) = await server.UploadAsync(token, new ByteArrayContent([1, 2, 3]));
        var untyped = (string)untypedBody!["content_uri"]!;

        using var htmlDownload = await server.GetMediaAsync($"/_matrix/client/v1/media/download/{MediaClient.PathOf(html)}", token);
        using var untypedDownload = await server.GetMediaAsync($"/_matrix/client/v1/media/download/{MediaClient.PathOf(untyped)}", token);

        Assert.Equal(HttpStatusCode.OK, untypedResponse.StatusCode);
        Assert.Equal("attachment", htmlDownload.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Null(htmlDownload.Content.Headers.ContentDisposition.FileName);
        Assert.Equal("application/octet-stream", untypedDownload.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", untypedDownload.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Identical_uploads_are_stored_once_under_their_hash(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("dedup" + provider.ToString().ToLowerInvariant());
        var bytes = Encoding.UTF8.GetBytes("the same bytes, uploaded twice " + provider);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

        var first = await server.UploadBytesAsync(token, bytes, "text/plain");
        var second = await server.UploadBytesAsync(token, bytes, "text/plain", "copy.txt");

        Assert.NotEqual(first, second);
        var files = Directory.GetFiles(Path.Combine(server.DataDirectory, "media"), sha256, SearchOption.AllDirectories);
        Assert.Equal([Path.Combine(server.DataDirectory, "media", sha256[..2], sha256[2..4], sha256)], files);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "media", "tmp")));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Created_media_is_uploaded_once_by_its_creator_and_waited_for(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("async" + provider.ToString().ToLowerInvariant());
        var (_, otherToken) = await server.CreateUserAsync("other" + provider.ToString().ToLowerInvariant());

        var (created, createdBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/media/v1/create", "{}", token);
        var path = MediaClient.PathOf((string)createdBody!["content_uri"]!);
        using var early = await server.GetMediaAsync($"/_matrix/client/v1/media/download/{path}?timeout_ms=100", token);
        var (notCreator, _) = await server.UploadAsync(otherToken, new ByteArrayContent([1]), path: $"/_matrix/media/v3/upload/{path}", method: HttpMethod.Put);
        var waiting = server.GetMediaAsync($"/_matrix/client/v1/media/download/{path}?timeout_ms=20000", token);
        var (uploaded, uploadedBody) = await server.UploadAsync(token, new ByteArrayContent("late"u8.ToArray()), "late.txt", $"/_matrix/media/v3/upload/{path}",
            HttpMethod.Put);
        var (again, _) = await server.UploadAsync(token, new ByteArrayContent([2]), path: $"/_matrix/media/v3/upload/{path}", method: HttpMethod.Put);
        using var waited = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True((long)createdBody["unused_expires_at"]! > DateTimeOffset.UtcNow.AddHours(23).ToUnixTimeMilliseconds());
        Assert.Equal((HttpStatusCode.GatewayTimeout, "M_NOT_YET_UPLOADED"), (early.StatusCode, await MediaClient.ErrorCodeAsync(early)));
        Assert.Equal(HttpStatusCode.Forbidden, notCreator.StatusCode);
        Assert.Equal((HttpStatusCode.OK, "{}"), (uploaded.StatusCode, uploadedBody!.ToJsonString()));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("late"u8.ToArray(), await waited.Content.ReadAsByteArrayAsync());
        Assert.Equal("late.txt", waited.Content.Headers.ContentDisposition!.FileNameStar ?? waited.Content.Headers.ContentDisposition.FileName?.Trim('"'));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_requests_get_the_spec_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("bad" + provider.ToString().ToLowerInvariant());

        async Task<(HttpStatusCode, string?)> Get(string path, string? accessToken)
        {
            using var response = await server.GetMediaAsync(path, accessToken);
            return (response.StatusCode, await MediaClient.ErrorCodeAsync(response));
        }

        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Get("/_matrix/client/v1/media/download/localhost/nosuchmedia", token));
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Get("/_matrix/media/v3/download/localhost/nosuchmedia", null));
        // Remote media not in the cache, with fetching forbidden (fetches themselves: FederationMediaTests).
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Get("/_matrix/media/v3/download/remote.example/abc?allow_remote=false", null));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Get("/_matrix/client/v1/media/download/localhost/a.b", token));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Get("/_matrix/client/v1/media/download/localhost/..%2F..%2Fetc", token));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Get("/_matrix/client/v1/media/download/bad_server!/abc", token));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Get("/_matrix/client/v1/media/download/localhost/abc?timeout_ms=soon", token));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_MISSING_TOKEN"), await Get("/_matrix/client/v1/media/download/localhost/abc", null));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_MISSING_TOKEN"), await Get("/_matrix/client/v1/media/config", null));
        var (anonymous, anonymousBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/media/v3/upload", "x");
        Assert.Equal((HttpStatusCode.Unauthorized, "M_MISSING_TOKEN"), (anonymous.StatusCode, (string?)anonymousBody!["errcode"]));
        var (unknown, _) = await server.UploadAsync(token, new ByteArrayContent([1]), path: "/_matrix/media/v3/upload/localhost/nosuchmedia", method: HttpMethod.Put);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var (badName, badNameBody) = await server.UploadAsync(token, new ByteArrayContent([1]), "a\u0001b");
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), (badName.StatusCode, (string?)badNameBody!["errcode"]));

        var (config, configBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v1/media/config", accessToken: token);
        var (legacyConfig, legacyConfigBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/media/v3/config", accessToken: token);
        Assert.Equal((HttpStatusCode.OK, 50L * 1024 * 1024), (config.StatusCode, (long)configBody!["m.upload.size"]!));
        Assert.Equal((HttpStatusCode.OK, 50L * 1024 * 1024), (legacyConfig.StatusCode, (long)legacyConfigBody!["m.upload.size"]!));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Wrong_content_lengths_are_bad_requests_and_leave_nothing_behind(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("short" + provider.ToString().ToLowerInvariant());
        string Head(string contentLength) =>
            $"POST /_matrix/media/v3/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nContent-Type: text/plain\r\nContent-Length: {contentLength}\r\n\r\n";

        var malformed = await RawExchangeAsync(server, Head("lots") + "abc");
        // A length shorter than the body: the declared bytes are the upload, the rest is a malformed next request.
        var tooShort = await RawExchangeAsync(server, Head("3") + "abcGARBAGE\r\n\r\n");
        // A body that ends before its length: the client gives up (closes); the partial file must not stay. The
        // connection may close before the server has even begun the upload, so the test waits for its file to appear.
        var tmp = Path.Combine(server.DataDirectory, "media", "tmp");
        Directory.CreateDirectory(tmp);
        var created = new TaskCompletionSource();
        using var watcher = new FileSystemWatcher(tmp) { EnableRaisingEvents = true };
        watcher.Created += (_, _) => created.TrySetResult();
        await RawExchangeAsync(server, Head("100000") + "only a few bytes", closeAfterSending: true);
        await Task.WhenAny(created.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 50 && Directory.GetFiles(tmp).Length > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.StartsWith("HTTP/1.1 400", malformed, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", tooShort, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 400", tooShort, StringComparison.Ordinal);
        Assert.True(created.Task.IsCompleted, "the cut-off upload never began");
        Assert.Empty(Directory.GetFiles(tmp));
    }

    private static async Task<string> RawExchangeAsync(TestHomeserver server, string request, bool closeAfterSending = false)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Client.BaseAddress!.Host, server.Client.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        if (closeAfterSending)
        {
            tcp.Client.Shutdown(SocketShutdown.Send);
        }

        // Reads until the server closes the connection (it does after a bad request) or stays silent for a while.
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(3))) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            // Silence or a reset ends the exchange; what arrived before is the answer.
        }

        return received.ToString();
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_large_upload_streams_in_and_out(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("large" + provider.ToString().ToLowerInvariant());
        const long size = 20 * 1024 * 1024;
        var expected = await PatternStream.Sha256Async(size);

        // Chunked: the client never knows the whole body either.
        var content = new StreamContent(new PatternStream(size));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var (uploaded, body) = await server.UploadAsync(token, content, "big.bin");
        using var download = await server.GetMediaAsync($"/_matrix/client/v1/media/download/{MediaClient.PathOf((string)body!["content_uri"]!)}", token);
        await using var downloaded = await download.Content.ReadAsStreamAsync();
        var actual = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(downloaded));

        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        Assert.Equal(size, download.Content.Headers.ContentLength);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Uploads_over_the_limit_are_refused_whether_declared_or_streamed(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Media:MaxUploadBytes=100000");
        var (_, token) = await server.CreateUserAsync("limit");

        var (declared, declaredBody) = await server.UploadAsync(token, new ByteArrayContent(new byte[100_001]));
        // Without a Content-Length the limit is found while reading; the server answers 413 and closes the
        // connection, which a client still sending may see as a reset instead of the answer.
        (HttpStatusCode, string?)? streamed;
        try
        {
            var (response, body) = await server.UploadAsync(token, new StreamContent(new PatternStream(200_000)));
            streamed = (response.StatusCode, (string?)body?["errcode"]);
        }
        catch (HttpRequestException)
        {
            streamed = null;
        }

        var (atLimit, _) = await server.UploadAsync(token, new ByteArrayContent(new byte[100_000]));
        var (_, config) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v1/media/config", accessToken: token);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE"), (declared.StatusCode, (string?)declaredBody!["errcode"]));
        Assert.True(streamed is null || streamed == (HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE"), $"streamed: {streamed}");
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(100_000L, (long)config!["m.upload.size"]!);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDirectory, "media", "tmp")));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Frozen_unauthenticated_endpoints_hide_media_uploaded_since_the_freeze(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Media:FreezeUnauthenticatedMediaAt=2020-01-01T00:00:00Z");
        var (_, token) = await server.CreateUserAsync("frozen");
        var path = MediaClient.PathOf(await server.UploadBytesAsync(token, TestImages.Png(40, 40), "image/png"));

        using var legacy = await server.GetMediaAsync($"/_matrix/media/v3/download/{path}");
        using var legacyThumbnail = await server.GetMediaAsync($"/_matrix/media/v3/thumbnail/{path}?width=32&height=32");
        using var authenticated = await server.GetMediaAsync($"/_matrix/client/v1/media/download/{path}", token);

        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), (legacy.StatusCode, await MediaClient.ErrorCodeAsync(legacy)));
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), (legacyThumbnail.StatusCode, await MediaClient.ErrorCodeAsync(legacyThumbnail)));
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
    }
}
