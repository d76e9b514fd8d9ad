using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Homeserver.Protocol.Identifiers;
using Microsoft.Extensions.Logging;

namespace Homeserver.Federation.Client;

/// <summary>
/// Server discovery (server-server API, "Resolving server names"): an IP literal or a name with an explicit port is
/// used as it is; otherwise <c>/.well-known/matrix/server</c> may delegate to another host (and port), its answer
/// cached; a host without a port then has its <c>_matrix-fed._tcp</c> SRV records looked up (then the deprecated
/// <c>_matrix._tcp</c> ones), and without any, port 8448.
/// </summary>
public sealed partial class ServerResolver(HttpClient wellKnownClient, DnsSrvResolver srv, TimeProvider time, ILogger<ServerResolver> logger)
{
    private static readonly string[] SrvServices = ["_matrix-fed._tcp.", "_matrix._tcp."];

    private const int DefaultPort = 8448;
    private const int MaxWellKnownBytes = 64 * 1024;
    private static readonly TimeSpan FoundLifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(48);
    private static readonly TimeSpan NotFoundLifetime = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (string? Delegated, DateTimeOffset Expires)> _wellKnown = new(StringComparer.Ordinal);

    /// <exception cref="FormatException">The name is not a valid server name.</exception>
    public async Task<ResolvedServer> ResolveAsync(string serverName, CancellationToken cancellationToken)
    {
        var name = ServerName.Parse(serverName);
        if (IsIpLiteral(name.Host) || name.Port is not null)
        {
            return new ResolvedServer(name.Host, name.Port ?? DefaultPort, name.Value);
        }

        if (await DelegationAsync(name.Host, cancellationToken) is { } delegatedText && ServerName.TryParse(delegatedText, out var delegated))
        {
            if (IsIpLiteral(delegated.Host) || delegated.Port is not null)
            {
                return new ResolvedServer(delegated.Host, delegated.Port ?? DefaultPort, delegated.Value);
            }

            return await ThroughSrvAsync(delegated.Host, cancellationToken) ?? new ResolvedServer(delegated.Host, DefaultPort, delegated.Host);
        }

        return await ThroughSrvAsync(name.Host, cancellationToken) ?? new ResolvedServer(name.Host, DefaultPort, name.Host);
    }

    /// <summary>
    /// The target of the host's SRV records, the lowest priority first and by weight among equals (RFC 2782); the
    /// Host header and TLS name stay the host's. Null when it has none.
    /// </summary>
    private async Task<ResolvedServer?> ThroughSrvAsync(string host, CancellationToken cancellationToken)
    {
        foreach (var service in SrvServices)
        {
            var records = await srv.LookupAsync(service + host, cancellationToken);
            if (records.Count > 0)
            {
                var chosen = Choose(records);
                return new ResolvedServer(chosen.Target, chosen.Port, host);
            }
        }

        return null;
    }

    private static SrvRecord Choose(IReadOnlyList<SrvRecord> records)
    {
        var best = records.Min(r => r.Priority);
        var candidates = records.Where(r => r.Priority == best).ToList();
        var total = candidates.Sum(r => r.Weight);
        if (total == 0)
        {
            return candidates[0];
        }

        var pick = RandomNumberGenerator.GetInt32(total);
        foreach (var candidate in candidates)
        {
            pick -= candidate.Weight;
            if (pick < 0)
            {
                return candidate;
            }
        }

        return candidates[^1];
    }

    private async Task<string?> DelegationAsync(string host, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_wellKnown.TryGetValue(host, out var cached) && cached.Expires > now)
        {
            return cached.Delegated;
        }

        var (delegated, lifetime) = await FetchWellKnownAsync(host, cancellationToken);
        _wellKnown[host] = (delegated, now + lifetime);
        return delegated;
    }

    private async Task<(string? Delegated, TimeSpan Lifetime)> FetchWellKnownAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await wellKnownClient.GetAsync($"https://{host}/.well-known/matrix/server", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (null, NotFoundLifetime);
            }

            var body = await ReadLimitedAsync(response, cancellationToken);
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("m.server", out var server)
                || server.ValueKind != JsonValueKind.String)
            {
                return (null, NotFoundLifetime);
            }

            var maxAge = response.Headers.CacheControl?.MaxAge;
            var lifetime = maxAge is { } age ? (age > MaxLifetime ? MaxLifetime : age) : FoundLifetime;
            return (server.GetString(), lifetime);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            LogWellKnownFailed(host, e.Message);
            return (null, NotFoundLifetime);
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxWellKnownBytes)
            {
                throw new InvalidDataException("the well-known answer is too large");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // IPAddress also reads "1234" as an address; a server name's IPv4 literal is a dotted quad.
    private static bool IsIpLiteral(string host) => host.StartsWith('[') || (host.Count(c => c == '.') == 3 && IPAddress.TryParse(host, out _));

    [LoggerMessage(Level = LogLevel.Debug, Message = "No server delegation found for {Host}: {Reason}")]
    private partial void LogWellKnownFailed(string host, string reason);
}
