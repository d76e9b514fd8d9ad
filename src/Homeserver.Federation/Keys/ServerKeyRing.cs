using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Signing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homeserver.Federation.Keys;

/// <summary>
/// Other servers' verify keys (server-server API, "Retrieving server keys"): from memory, then from the database,
/// then asked of the configured notaries, then of the server itself; every answer's self-signature (and the
/// notary's) checked before a key is believed. The last verified document of each server is kept for the notary
/// endpoint. A server asked in vain is not asked again for a short while, so that a batch of PDUs from an
/// unreachable server costs one attempt, not one per PDU.
/// </summary>
public sealed partial class ServerKeyRing(
    IServiceScopeFactory scopes,
    IFederationClient client,
    ServerIdentity server,
    SigningKey ownKey,
    OldSigningKeys oldKeys,
    IReadOnlyList<TrustedKeyServer> notaries,
    TimeProvider time,
    ILogger<ServerKeyRing> logger) : IServerKeyRing
{
    private static readonly TimeSpan RefetchInterval = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Server, string KeyId), VerifyKey> _keys = new();
    private readonly ConcurrentDictionary<string, JsonObject> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastFetch = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _fetching = new(StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<(string Server, string KeyId), VerifyKey>> GetKeysAsync(
        IReadOnlyCollection<(string Server, string KeyId, long MinimumValidUntilTs)> wanted, CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string Server, string KeyId), VerifyKey>();
        var missing = Collect(wanted, found);
        if (missing.Count > 0)
        {
            await LoadStoredAsync(missing.Select(w => w.Server).ToHashSet(StringComparer.Ordinal), cancellationToken);
            missing = Collect(missing, found);
        }

        if (missing.Count > 0)
        {
            await Task.WhenAll(missing.Select(w => w.Server).Distinct(StringComparer.Ordinal).Select(s => FetchOnceAsync(s, cancellationToken)));
            Collect(missing, found);
        }

        return found;
    }

    /// <summary>The keys document of a server, signed by the server (and, when it came through one, a notary).</summary>
    public async Task<JsonObject?> GetDocumentAsync(string serverName, long minimumValidUntilTs, CancellationToken cancellationToken)
    {
        if (serverName == server.ServerName)
        {
            return OwnDocument();
        }

        if (!_documents.TryGetValue(serverName, out var document) || ValidUntil(document) < minimumValidUntilTs)
        {
            await FetchOnceAsync(serverName, cancellationToken);
            _documents.TryGetValue(serverName, out document);
        }

        return document?.DeepClone().AsObject();
    }

    /// <summary>This server's document: valid for a day from now, re-signed on each call.</summary>
    public JsonObject OwnDocument() =>
        ServerKeysDocument.Build(server.ServerName, ownKey, time.GetUtcNow().AddDays(1).ToUnixTimeMilliseconds(), oldKeys.Keys);

    private List<(string Server, string KeyId, long MinimumValidUntilTs)> Collect(
        IEnumerable<(string Server, string KeyId, long MinimumValidUntilTs)> wanted, Dictionary<(string Server, string KeyId), VerifyKey> found)
    {
        var missing = new List<(string Server, string KeyId, long MinimumValidUntilTs)>();
        foreach (var want in wanted)
        {
            if (want.Server == server.ServerName && want.KeyId == ownKey.KeyId)
            {
                found[(want.Server, want.KeyId)] = new VerifyKey(ownKey.PublicKey, long.MaxValue);
            }
            else if (want.Server == server.ServerName && oldKeys.Keys.FirstOrDefault(k => k.KeyId == want.KeyId) is { } old)
            {
                // What this server signed before a rotation, e.g. its own events coming back from another server.
                found[(want.Server, want.KeyId)] = new VerifyKey(old.PublicKey, old.ValidUntilTs);
            }
            else if (_keys.TryGetValue((want.Server, want.KeyId), out var key) && key.ValidUntilTs >= want.MinimumValidUntilTs)
            {
                found[(want.Server, want.KeyId)] = key;
            }
            else if (want.Server != server.ServerName)
            {
                missing.Add(want);
            }
        }

        return missing;
    }

    private async Task LoadStoredAsync(IReadOnlyCollection<string> servers, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var (name, key) in await scope.ServiceProvider.GetRequiredService<IServerKeyStore>().LoadAsync(servers, cancellationToken))
        {
            Remember(name, key);
        }
    }

    private void Remember(string serverName, PublishedKey key) =>
        _keys.AddOrUpdate((serverName, key.KeyId), new VerifyKey(key.PublicKey, key.ValidUntilTs),
            (_, old) => old.ValidUntilTs >= key.ValidUntilTs && !key.Expired ? old : new VerifyKey(key.PublicKey, key.ValidUntilTs));

    /// <summary>One fetch per server at a time, and none within <see cref="RefetchInterval"/> of the last.</summary>
    private Task FetchOnceAsync(string serverName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_lastFetch.TryGetValue(serverName, out var last) && now - last < RefetchInterval)
        {
            return Task.CompletedTask;
        }

        var fetch = _fetching.GetOrAdd(serverName, name => new Lazy<Task>(async () =>
        {
            try
            {
                await FetchAsync(name, cancellationToken);
            }
            finally
            {
                _lastFetch[name] = time.GetUtcNow();
                _fetching.TryRemove(name, out _);
            }
        }));
        return fetch.Value;
    }

    private async Task FetchAsync(string serverName, CancellationToken cancellationToken)
    {
        foreach (var notary in notaries)
        {
            if (await FetchThroughNotaryAsync(notary, serverName, cancellationToken))
            {
                return;
            }
        }

        try
        {
            if (await client.SendAsync(HttpMethod.Get, serverName, "/_matrix/key/v2/server", null, cancellationToken) is JsonObject document)
            {
                await AcceptAsync(serverName, document, cancellationToken);
            }
        }
        catch (FederationException e)
        {
            LogFetchFailed(serverName, serverName, e.Message);
        }
    }

    private async Task<bool> FetchThroughNotaryAsync(TrustedKeyServer notary, string serverName, CancellationToken cancellationToken)
    {
        try
        {
            var body = new JsonObject { ["server_keys"] = new JsonObject { [serverName] = new JsonObject() } };
            var answer = await client.SendAsync(HttpMethod.Post, notary.ServerName, "/_matrix/key/v2/query", body, cancellationToken);
            var accepted = false;
            foreach (var node in answer?["server_keys"] as JsonArray ?? [])
            {
                if (node is JsonObject document
                    && notary.VerifyKeys.Any(k => JsonSigning.Verify(document, notary.ServerName, k.Key, k.Value)))
                {
                    accepted |= await AcceptAsync(serverName, document, cancellationToken);
                }
            }

            return accepted;
        }
        catch (FederationException e)
        {
            LogFetchFailed(serverName, notary.ServerName, e.Message);
            return false;
        }
    }

    private async Task<bool> AcceptAsync(string serverName, JsonObject document, CancellationToken cancellationToken)
    {
        if (!ServerKeysDocument.TryRead(document, serverName, out var keys, out var error))
        {
            LogFetchFailed(serverName, serverName, error);
            return false;
        }

        foreach (var key in keys)
        {
            Remember(serverName, key);
        }

        _documents[serverName] = document;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IServerKeyStore>().SaveAsync(serverName, keys, cancellationToken);
        return true;
    }

    private static long ValidUntil(JsonObject document) =>
        Protocol.Json.JsonInteger.TryRead(document["valid_until_ts"], out var ts) ? ts : 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not get the keys of {Server} from {Source}: {Reason}")]
    private partial void LogFetchFailed(string server, string source, string reason);
}
