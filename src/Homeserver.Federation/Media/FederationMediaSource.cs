using System.Globalization;
using System.Net;
using System.Text.Json;
using Homeserver.Core.Federation;
using Homeserver.Core.Media;
using Homeserver.Federation.Client;
using Homeserver.Protocol.Identifiers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Homeserver.Federation.Media;

/// <summary>
/// Remote media fetched from its origin (server-server API, "Content Repository"):
/// <c>GET /_matrix/federation/v1/media/download/{mediaId}</c>, signed, whose <c>multipart/mixed</c> answer carries
/// the metadata (a JSON object) and then the content. Origins that do not know the endpoint (404 or 400
/// <c>M_UNRECOGNIZED</c>) are asked the deprecated <c>/_matrix/media/v3/download</c> with <c>allow_remote=false</c>,
/// as the spec requires. A second part that redirects (<c>Location</c>) is not followed: the URL may point anywhere,
/// including this server's own network, so such media is unavailable.
/// </summary>
public sealed partial class FederationMediaSource(FederationHttpClient http, ILogger<FederationMediaSource> logger) : IRemoteMediaSource
{
    // The whole transfer, headers to last byte: 50 MB at a modest 1 Mbit/s is well inside it.
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromMinutes(10);
    private const int MaxMetadataBytes = 64 * 1024;
    private const int MaxErrorBytes = 64 * 1024;
    private const int MaxBoundaryLength = 70;

    public async Task<RemoteMediaContent?> OpenAsync(ServerName origin, string mediaId, CancellationToken cancellationToken)
    {
        var destination = origin.Value;
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(FetchTimeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await http.SendForResponseAsync(HttpMethod.Get, destination, $"/_matrix/federation/v1/media/download/{mediaId}", null, null, deadline.Token);
            RemoteMediaContent? content;
            if (response.IsSuccessStatusCode)
            {
                content = await ReadMultipartAsync(response, destination, deadline);
            }
            else if (await ErrorCodeAsync(response, deadline.Token) is var code && IsUnrecognised(response.StatusCode, code))
            {
                LogLegacyFallback(destination);
                response.Dispose();
                response = await http.SendForResponseAsync(HttpMethod.Get, destination,
                    $"/_matrix/media/v3/download/{Uri.EscapeDataString(destination)}/{mediaId}?allow_remote=false", null, null, deadline.Token);
                content = response.IsSuccessStatusCode
                    ? await ReadLegacyAsync(response, destination, deadline)
                    : NotFoundOrThrow(response, await ErrorCodeAsync(response, deadline.Token), destination);
            }
            else
            {
                content = NotFoundOrThrow(response, code, destination);
            }

            if (content is not null)
            {
                // The content's stream owns the answer and the deadline from here on.
                response = null;
                deadline = null;
            }

            return content;
        }
        catch (OperationCanceledException e) when (deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            throw new FederationException(destination, null, null, "timed out", new TimeoutException(e.Message, e));
        }
        finally
        {
            response?.Dispose();
            deadline?.Dispose();
        }
    }

    private static async Task<RemoteMediaContent?> ReadMultipartAsync(HttpResponseMessage response, string destination, CancellationTokenSource deadline)
    {
        var type = response.Content.Headers.ContentType;
        var boundary = type?.Parameters.FirstOrDefault(p => string.Equals(p.Name, "boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        if (!string.Equals(type?.MediaType, "multipart/mixed", StringComparison.OrdinalIgnoreCase) || boundary is not { Length: > 0 and <= MaxBoundaryLength })
        {
            throw Malformed(destination, "answered without a multipart/mixed body");
        }

        var body = await response.Content.ReadAsStreamAsync(deadline.Token);
        // The metadata part is bounded here, the content part by the content store's limit as it is stored.
        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = MaxMetadataBytes };
        try
        {
            var metadata = await reader.ReadNextSectionAsync(deadline.Token) ?? throw Malformed(destination, "sent no metadata part");
            if (!IsJsonType(metadata.ContentType) || !await IsJsonObjectAsync(metadata.Body, deadline.Token))
            {
                throw Malformed(destination, "sent metadata that is not a JSON object");
            }

            reader.BodyLengthLimit = null;
            var media = await reader.ReadNextSectionAsync(deadline.Token) ?? throw Malformed(destination, "sent no content part");
            if (media.Headers?.ContainsKey(HeaderNames.Location) == true)
            {
                throw new FederationException(destination, (int)response.StatusCode, null, "redirected the media elsewhere, which this server does not follow");
            }

            var length = media.Headers?.TryGetValue(HeaderNames.ContentLength, out var declared) == true
                && long.TryParse(declared.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : (long?)null;
            return new RemoteMediaContent(
                new RemoteContentStream(media.Body, destination, response, deadline), media.ContentType, FileNameOf(media.ContentDisposition), length);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException)
        {
            throw Malformed(destination, e.Message, e);
        }
    }

    private static async Task<RemoteMediaContent> ReadLegacyAsync(HttpResponseMessage response, string destination, CancellationTokenSource deadline)
    {
        var headers = response.Content.Headers;
        var disposition = headers.TryGetValues(HeaderNames.ContentDisposition, out var values) ? string.Join(", ", values) : null;
        var body = await response.Content.ReadAsStreamAsync(deadline.Token);
        return new RemoteMediaContent(
            new RemoteContentStream(body, destination, response, deadline), headers.ContentType?.ToString(), FileNameOf(disposition), headers.ContentLength);
    }

    /// <summary>Whether the origin does not know the endpoint (an older server): the spec's cue to fall back.</summary>
    private static bool IsUnrecognised(HttpStatusCode status, string? errorCode) =>
        errorCode == "M_UNRECOGNIZED" && status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed;

    private static RemoteMediaContent? NotFoundOrThrow(HttpResponseMessage response, string? errorCode, string destination) =>
        response.StatusCode == HttpStatusCode.NotFound
            ? null
            : throw new FederationException(destination, (int)response.StatusCode, errorCode, $"answered {(int)response.StatusCode} {errorCode}");

    /// <summary>The <c>errcode</c> of an error answer, from its first bytes only.</summary>
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var json = JsonDocument.Parse(await ReadAtMostAsync(body, MaxErrorBytes, cancellationToken));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errcode", out var errcode)
                && errcode.ValueKind == JsonValueKind.String ? errcode.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            // An error without a Matrix error body: only its status says anything.
            return null;
        }
    }

    private static bool IsJsonType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static async Task<bool> IsJsonObjectAsync(Stream part, CancellationToken cancellationToken)
    {
        try
        {
            using var json = JsonDocument.Parse(await ReadAtMostAsync(part, MaxMetadataBytes, cancellationToken));
            return json.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>At most <paramref name="maxBytes"/> of a stream; longer input is cut there (and then fails to parse).</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadAtMostAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[maxBytes];
        var length = 0;
        int read;
        while (length < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return buffer.AsMemory(0, length);
    }

    private static string? FileNameOf(string? disposition)
    {
        if (!ContentDispositionHeaderValue.TryParse(disposition, out var parsed))
        {
            return null;
        }

        var name = parsed.FileNameStar.HasValue ? parsed.FileNameStar : HeaderUtilities.RemoveQuotes(parsed.FileName);
        return name.HasValue && name.Length > 0 ? name.Value : null;
    }

    private static FederationException Malformed(string destination, string reason, Exception? inner = null) =>
        new(destination, null, null, $"sent malformed media: {reason}", inner);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Origin} does not serve federation media; asking its deprecated media endpoint")]
    private partial void LogLegacyFallback(string origin);
}
