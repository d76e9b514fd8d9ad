using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Homeserver.Core.Media.Preview;
using Microsoft.Extensions.Logging;

namespace Homeserver.Media.Preview;

/// <summary>
/// Fetches pages and images for URL previews without letting a user reach the server's own network (server-side
/// request forgery). Every connection, the first and each redirect's, resolves its host here and checks every
/// address it resolves to before connecting to one of exactly those addresses, so a DNS answer cannot change
/// between the check and the connection. Bodies are read up to a byte limit and the whole fetch up to a time limit.
/// </summary>
public sealed partial class GuardedUrlFetcher : IUrlFetcher, IDisposable
{
    private const int MaxRedirects = 5;

    private readonly HttpClient _client;
    private readonly AddressFilter _filter;
    private readonly TimeSpan _timeout;
    private readonly ILogger<GuardedUrlFetcher> _logger;

    public GuardedUrlFetcher(AddressFilter filter, TimeSpan timeout, string userAgent, ILogger<GuardedUrlFetcher> logger)
    {
        _filter = filter;
        _timeout = timeout;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            // A proxy would connect on our behalf to addresses we never checked.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("image/*", 0.9));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.1));
    }

    public async Task<FetchResult> FetchAsync(Uri url, long maxBytes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogFailed(_logger, url.Host, $"status {(int)response.StatusCode}");
                return FetchResult.Failed;
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var (bytes, truncated) = await ReadUpToAsync(body, maxBytes, timeout.Token);
            return new FetchResult(FetchStatus.Ok, response.RequestMessage?.RequestUri ?? url, response.Content.Headers.ContentType?.ToString(), bytes, truncated);
        }
        catch (HttpRequestException e) when (IsRefused(e))
        {
            LogRefused(_logger, url.Host);
            return FetchResult.Blocked;
        }
        catch (HttpRequestException e)
        {
            LogFailed(_logger, url.Host, e.Message);
            return FetchResult.Failed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, url.Host, "timed out");
            return FetchResult.Failed;
        }
    }

    public void Dispose() => _client.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{host} has no address");
        }

        // Every address, not just the first: the socket may fall back to any of them.
        if (addresses.FirstOrDefault(a => !_filter.IsAllowed(a)) is { } refused)
        {
            throw new RefusedAddressException(refused);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<(byte[] Bytes, bool Truncated)> ReadUpToAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            var room = maxBytes - buffer.Length;
            if (read > room)
            {
                buffer.Write(chunk, 0, (int)room);
                return (buffer.ToArray(), true);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), false);
    }

    private static bool IsRefused(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is RefusedAddressException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "URL preview of {Host} refused: it resolves to an address that is not allowed")]
    private static partial void LogRefused(ILogger logger, string host);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "URL preview of {Host} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string host, string reason);
}
