using System.Text.RegularExpressions;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Identifiers;
using Microsoft.Extensions.Logging;

namespace Homeserver.Core.Media;

/// <summary>
/// The content repository (client-server API, "Content repository"): uploads, created media IDs uploaded to later,
/// downloads and thumbnails, local and (through <see cref="IRemoteMediaSource"/>) remote.
/// </summary>
public sealed partial class MediaService(
    IMediaStore store,
    IMediaContentStore contents,
    IThumbnailer thumbnailer,
    IRemoteMediaSource remote,
    MediaUploadNotifier notifier,
    MediaPolicy policy,
    ServerIdentity server,
    TimeProvider time,
    ILogger<MediaService> logger)
{
    private const string DefaultContentType = "application/octet-stream";
    private const int MaxFileNameLength = 255;

    // Waiters re-read the database this often, so that an upload through another process is seen.
    private static readonly TimeSpan UploadPollInterval = TimeSpan.FromSeconds(1);

    public static ErrorCode CannotOverwriteMedia { get; } = new("M_CANNOT_OVERWRITE_MEDIA");

    public static ErrorCode NotYetUploaded { get; } = new("M_NOT_YET_UPLOADED");

    public long MaxUploadBytes => policy.MaxUploadBytes;

    /// <summary><c>POST /_matrix/media/v3/upload</c>: stores the body and returns its new <c>mxc://</c> URI.</summary>
    /// <param name="contentLength">The declared length, so an upload too large is refused before it is read.</param>
    public async Task<string> UploadAsync(Session session, Stream body, string? contentType, string? fileName, long? contentLength,
        CancellationToken cancellationToken)
    {
        var upload = CheckUpload(contentType, fileName, contentLength);
        var content = await StoreAsync(body, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var mediaId = MediaIds.Generate();
        await store.AddAsync(
            new MediaRecord(server.ServerName, mediaId, session.UserId, now, upload.ContentType, upload.FileName, content.Length, content.Sha256, now),
            cancellationToken);
        return ContentUri(mediaId);
    }

    /// <summary><c>POST /_matrix/media/v1/create</c>: a media ID whose content the same user uploads later.</summary>
    /// <exception cref="MatrixException">429 when the user already holds the most pending media IDs allowed.</exception>
    public async Task<CreatedMedia> CreateAsync(Session session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = await store.CountPendingAsync(session.UserId, (now - MediaPolicy.UnusedExpiry).ToUnixTimeMilliseconds(), cancellationToken);
        if (pending >= policy.MaxPendingUploadsPerUser)
        {
            throw MatrixException.LimitExceeded(TimeSpan.FromMinutes(1));
        }

        var mediaId = MediaIds.Generate();
        await store.AddAsync(new MediaRecord(server.ServerName, mediaId, session.UserId, now.ToUnixTimeMilliseconds()), cancellationToken);
        return new CreatedMedia(ContentUri(mediaId), (now + MediaPolicy.UnusedExpiry).ToUnixTimeMilliseconds());
    }

    /// <summary><c>PUT /_matrix/media/v3/upload/{serverName}/{mediaId}</c>: the content of a created media ID.</summary>
    /// <exception cref="MatrixException">
    /// 404 for unknown or expired IDs, 403 for another user's, 409 M_CANNOT_OVERWRITE_MEDIA once content is there.
    /// </exception>
    public async Task UploadToAsync(Session session, string serverName, string mediaId, Stream body, string? contentType, string? fileName,
        long? contentLength, CancellationToken cancellationToken)
    {
        CheckLocation(serverName, mediaId);
        var media = serverName == server.ServerName ? await store.GetAsync(serverName, mediaId, cancellationToken) : null;
        if (media is null || (!media.IsUploaded && IsExpired(media)))
        {
            throw MatrixException.NotFound("Unknown media ID");
        }

        if (media.Uploader != session.UserId)
        {
            throw MatrixException.Forbidden("The media ID was created by another user");
        }

        if (media.IsUploaded)
        {
            throw new MatrixException(CannotOverwriteMedia, 409, "Media already uploaded");
        }

        var upload = CheckUpload(contentType, fileName, contentLength);
        var content = await StoreAsync(body, cancellationToken);
        var uploadedTs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!await store.CompleteUploadAsync(serverName, mediaId, content, upload.ContentType, upload.FileName, uploadedTs, cancellationToken))
        {
            throw new MatrixException(CannotOverwriteMedia, 409, "Media already uploaded");
        }

        notifier.Notify(serverName, mediaId);
    }

    /// <summary>The content of <c>mxc://{serverName}/{mediaId}</c>, named <paramref name="fileName"/> when given.</summary>
    /// <exception cref="MatrixException">
    /// 400 for a malformed server name or media ID; 404 for unknown media (and, on the unauthenticated endpoints, for
    /// media uploaded after the freeze, and on the federation endpoints for media of other servers); 504
    /// M_NOT_YET_UPLOADED when created media is still empty after the timeout; 502 or 504 when remote media cannot be
    /// fetched from its origin.
    /// </exception>
    public async Task<MediaDownload> DownloadAsync(MediaAccess access, string serverName, string mediaId, string? fileName, MediaQuery query,
        CancellationToken cancellationToken)
    {
        if (fileName is not null)
        {
            CheckFileName(fileName);
        }

        var media = await FindContentAsync(access, serverName, mediaId, query, cancellationToken);
        var stream = OpenContent(media);
        var contentType = media.ContentType ?? DefaultContentType;
        return new MediaDownload(stream, contentType, fileName ?? media.UploadName, InlineContentTypes.IsSafe(contentType), media.Sha256!);
    }

    /// <summary>A thumbnail of <c>mxc://{serverName}/{mediaId}</c>, generated on first request and cached.</summary>
    /// <exception cref="MatrixException">
    /// As <see cref="DownloadAsync"/>; and 400 M_UNKNOWN for content that is not an image the server can read, 413
    /// M_TOO_LARGE for images with more pixels than it decodes.
    /// </exception>
    public async Task<MediaDownload> ThumbnailAsync(MediaAccess access, string serverName, string mediaId, ThumbnailRequest request, MediaQuery query,
        CancellationToken cancellationToken)
    {
        var media = await FindContentAsync(access, serverName, mediaId, query, cancellationToken);
        if (media.ContentType is not { } type || !type.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            throw CannotThumbnail();
        }

        var sha256 = media.Sha256!;
        var size = request.RoundedToStandardSize();
        if (contents.OpenThumbnail(sha256, size.Variant) is { } cached)
        {
            return Thumbnail(cached.Content, cached.ContentType, sha256, size.Variant);
        }

        var result = await thumbnailer.CreateAsync(OpenContent(media), size, policy.MaxThumbnailSourcePixels, cancellationToken);
        switch (result.Status)
        {
            case ThumbnailStatus.Created:
                await contents.SaveThumbnailAsync(sha256, size.Variant, result.ContentType!, result.Data, cancellationToken);
                return Thumbnail(new MemoryStream(result.Data!, writable: false), result.ContentType!, sha256, size.Variant);
            case ThumbnailStatus.UseOriginal:
                return Thumbnail(OpenContent(media), result.ContentType!, sha256, "original");
            case ThumbnailStatus.TooLarge:
                throw MatrixException.TooLarge("The image is too large to thumbnail");
            case ThumbnailStatus.NotAnImage:
                throw CannotThumbnail();
            default:
                throw new InvalidOperationException($"Unknown thumbnail status {result.Status}");
        }
    }

    private async Task<MediaRecord> FindContentAsync(MediaAccess access, string serverName, string mediaId, MediaQuery query,
        CancellationToken cancellationToken)
    {
        var origin = CheckLocation(serverName, mediaId);
        MediaRecord? media;
        if (serverName == server.ServerName)
        {
            media = await store.GetAsync(serverName, mediaId, cancellationToken);
            if (media is { IsUploaded: false } && !IsExpired(media))
            {
                media = await WaitForUploadAsync(media, query.Timeout, cancellationToken);
            }
        }
        else if (access == MediaAccess.Federation)
        {
            // Another server asks for what it could fetch from the origin itself: serving our cached copy would
            // make this server answer for media it does not own.
            media = null;
        }
        else
        {
            media = await store.GetAsync(serverName, mediaId, cancellationToken)
                ?? (query.AllowRemote ? await FetchRemoteAsync(origin, mediaId, cancellationToken) : null);
        }

        if (media is null || !media.IsUploaded)
        {
            throw MatrixException.NotFound("Media not found");
        }

        // MSC3916's freeze: media that arrived after it is served only to clients that authenticate.
        if (access == MediaAccess.Unauthenticated && policy.UnauthenticatedFreezeTs is { } freeze && (media.UploadedTs ?? media.CreatedTs) >= freeze)
        {
            throw MatrixException.NotFound("Media not found");
        }

        return media;
    }

    /// <summary>
    /// Fetches remote media into the content store under the same limit as uploads, and records it, so that later
    /// requests are served from the cache. Nothing is kept of content that is too large, breaks off or is malformed.
    /// </summary>
    /// <exception cref="MatrixException">502 when the origin cannot be reached or sends something unusable, 504 when it is too slow.</exception>
    private async Task<MediaRecord?> FetchRemoteAsync(ServerName origin, string mediaId, CancellationToken cancellationToken)
    {
        try
        {
            await using var fetched = await remote.OpenAsync(origin, mediaId, cancellationToken);
            if (fetched is null)
            {
                return null;
            }

            if (fetched.Length > policy.MaxUploadBytes)
            {
                throw RemoteTooLarge();
            }

            var content = await contents.StoreAsync(fetched.Content, policy.MaxUploadBytes, cancellationToken) ?? throw RemoteTooLarge();
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var fileName = fetched.FileName is { } name && IsValidFileName(name) ? name : null;
            return await store.AddRemoteAsync(
                new MediaRecord(origin.Value, mediaId, null, now, SafeContentType(fetched.ContentType), fileName, content.Length, content.Sha256, now),
                cancellationToken);
        }
        catch (FederationException e)
        {
            LogRemoteFetchFailed(origin.Value, mediaId, e.Message);
            throw e.InnerException is TimeoutException or OperationCanceledException
                ? new MatrixException(ErrorCode.Unknown, 504, "Timed out fetching the remote media")
                : new MatrixException(ErrorCode.Unknown, 502, "Failed to fetch the remote media");
        }
    }

    private async Task<MediaRecord?> WaitForUploadAsync(MediaRecord media, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                throw new MatrixException(NotYetUploaded, 504, "Content has not yet been uploaded");
            }

            await notifier.WaitAsync(media.ServerName, media.MediaId, remaining < UploadPollInterval ? remaining : UploadPollInterval, cancellationToken);
            var current = await store.GetAsync(media.ServerName, media.MediaId, cancellationToken);
            if (current is null || current.IsUploaded)
            {
                return current;
            }
        }
    }

    private static ServerName CheckLocation(string serverName, string mediaId)
    {
        if (!ServerName.TryParse(serverName, out var origin))
        {
            throw MatrixException.InvalidParam("The server name is not valid");
        }

        if (!MediaIds.IsValid(mediaId))
        {
            throw MatrixException.InvalidParam("Media IDs consist of A-Z, a-z, 0-9, _ and -");
        }

        return origin;
    }

    private (string ContentType, string? FileName) CheckUpload(string? contentType, string? fileName, long? contentLength)
    {
        if (contentLength > policy.MaxUploadBytes)
        {
            throw TooLargeUpload();
        }

        if (fileName is not null)
        {
            CheckFileName(fileName);
        }

        return (SafeContentType(contentType), string.IsNullOrEmpty(fileName) ? null : fileName);
    }

    // A type that is not a well-formed media type is "obviously wrong" (spec, Content-Type of downloads): it is kept
    // as a plain byte stream rather than echoed into a response header. Remote servers' types go through here too.
    private static string SafeContentType(string? contentType) =>
        contentType is not null && contentType.Length <= 255 && MediaType().IsMatch(contentType) ? contentType : DefaultContentType;

    private static bool IsValidFileName(string fileName) =>
        fileName.Length is > 0 and <= MaxFileNameLength && !fileName.Any(char.IsControl) && !fileName.Contains('/', StringComparison.Ordinal);

    private static void CheckFileName(string fileName)
    {
        if (fileName.Length > 0 && !IsValidFileName(fileName))
        {
            throw MatrixException.InvalidParam($"File names are at most {MaxFileNameLength} characters, without control characters or '/'");
        }
    }

    private async Task<StoredContent> StoreAsync(Stream body, CancellationToken cancellationToken) =>
        await contents.StoreAsync(body, policy.MaxUploadBytes, cancellationToken) ?? throw TooLargeUpload();

    private Stream OpenContent(MediaRecord media) =>
        contents.OpenContent(media.Sha256!) ?? throw MatrixException.NotFound("The content of the media is missing");

    private bool IsExpired(MediaRecord media) =>
        time.GetUtcNow().ToUnixTimeMilliseconds() >= media.CreatedTs + (long)MediaPolicy.UnusedExpiry.TotalMilliseconds;

    private string ContentUri(string mediaId) => $"mxc://{server.ServerName}/{mediaId}";

    private MatrixException TooLargeUpload() => MatrixException.TooLarge($"Uploads are limited to {policy.MaxUploadBytes} bytes");

    // The spec's answer (server-server API, 502 M_TOO_LARGE) for content too large for the server to serve.
    private MatrixException RemoteTooLarge() =>
        new(ErrorCode.TooLarge, 502, $"The remote media is larger than the {policy.MaxUploadBytes} bytes this server accepts");

    private static MatrixException CannotThumbnail() => new(ErrorCode.Unknown, 400, "Cannot generate thumbnails for the requested content");

    private static MediaDownload Thumbnail(Stream content, string contentType, string sha256, string variant) =>
        new(content, contentType, "thumbnail" + Extension(contentType), Inline: true, $"{sha256}-{variant}");

    private static string Extension(string contentType) => contentType switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        _ => string.Empty,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching media {MediaId} from {Origin} failed: {Reason}")]
    private partial void LogRemoteFetchFailed(string origin, string mediaId, string reason);

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+.^_`|~-]+/[A-Za-z0-9!#$%&'*+.^_`|~-]+( *; *[A-Za-z0-9!#$%&'*+.^_`|~-]+=(""[^""\\\x00-\x1f\x7f]*""|[A-Za-z0-9!#$%&'*+.^_`|~-]+))* *$", RegexOptions.CultureInvariant)]
    private static partial Regex MediaType();
}
