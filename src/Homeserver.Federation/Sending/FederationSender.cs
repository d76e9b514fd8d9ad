using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Homeserver.Federation.Sending;

/// <summary>
/// Delivers the outbox (server-server API, "Transactions"; DESIGN.md §4): per destination, the oldest queued PDUs
/// and EDUs in transactions of at most 50 and 100, one transaction in flight, removed once the destination accepted
/// it. A destination that does not answer is retried with a doubling delay up to a cap, or at once when it contacts
/// us. At start every destination with rows left is resumed, so nothing queued is lost by a restart.
/// </summary>
public sealed partial class FederationSender(
    IServiceScopeFactory scopes,
    IFederationClient client,
    OutboxSignal signal,
    ServerIdentity server,
    TimeProvider time,
    FederationSenderOptions options,
    ILogger<FederationSender> logger) : BackgroundService
{
    private const int MaxPdus = 50;
    private const int MaxEdus = 100;
    private readonly ConcurrentDictionary<string, DestinationQueue> _queues = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                foreach (var destination in await scope.ServiceProvider.GetRequiredService<IFederationOutboxStore>().GetDestinationsAsync(stoppingToken))
                {
                    Kick(destination, contacted: false, stoppingToken);
                }
            }

            await foreach (var (destination, contacted) in signal.Reader.ReadAllAsync(stoppingToken))
            {
                Kick(destination, contacted, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Kick(string destination, bool contacted, CancellationToken stoppingToken)
    {
        if (destination == server.ServerName)
        {
            return;
        }

        if (contacted)
        {
            // Only a queue waiting out a backoff has anything to gain; an idle one was emptied.
            if (_queues.TryGetValue(destination, out var waiting))
            {
                lock (waiting.Lock)
                {
                    waiting.Failures = 0;
                    waiting.Backoff?.Cancel();
                }
            }

            return;
        }

        var queue = _queues.GetOrAdd(destination, _ => new DestinationQueue());
        lock (queue.Lock)
        {
            if (queue.Running)
            {
                queue.Dirty = true;
                return;
            }

            queue.Running = true;
            queue.Dirty = false;
        }

        _ = Task.Run(() => DrainAsync(destination, queue, stoppingToken), stoppingToken);
    }

    private async Task DrainAsync(string destination, DestinationQueue queue, CancellationToken stoppingToken)
    {
        var released = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<IFederationOutboxStore>();
                IReadOnlyList<OutboxItem> items;
                try
                {
                    items = await store.PeekAsync(destination, MaxPdus, MaxEdus, stoppingToken);
                    if (items.Count == 0)
                    {
                        lock (queue.Lock)
                        {
                            if (!queue.Dirty)
                            {
                                queue.Running = false;
                                released = true;
                                return;
                            }

                            queue.Dirty = false;
                        }

                        continue;
                    }

                    await SendAsync(destination, items, stoppingToken);
                    await store.RemoveAsync(destination, items[^1].Position, stoppingToken);
                    queue.Failures = 0;
                }
                catch (FederationException e) when (!e.IsTransient)
                {
                    // The destination refused the transaction as a whole (it is malformed to it): retrying would
                    // block its queue for ever.
                    LogRefused(e, destination);
                    items = await store.PeekAsync(destination, MaxPdus, MaxEdus, stoppingToken);
                    if (items.Count > 0)
                    {
                        await store.RemoveAsync(destination, items[^1].Position, stoppingToken);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    await BackOffAsync(destination, queue, e, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogDrainFailed(e, destination);
        }
        finally
        {
            if (!released)
            {
                lock (queue.Lock)
                {
                    queue.Running = false;
                }
            }
        }
    }

    private async Task SendAsync(string destination, IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        var transaction = new JsonObject
        {
            ["origin"] = server.ServerName,
            ["origin_server_ts"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
            ["pdus"] = new JsonArray([.. items.Where(i => i.PduJson is not null).Select(i => JsonNode.Parse(i.PduJson!))]),
            ["edus"] = new JsonArray([.. items.Where(i => i.EduJson is not null).Select(i => JsonNode.Parse(i.EduJson!))]),
        };
        // The same rows give the same ID, so that a retry of a transaction the destination did get is recognisable.
        var txnId = $"{items[0].Position}-{items[^1].Position}";
        var answer = await client.SendAsync(HttpMethod.Put, destination, $"/_matrix/federation/v1/send/{txnId}", transaction, cancellationToken);
        foreach (var (eventId, result) in answer?["pdus"] as JsonObject ?? [])
        {
            if (result?["error"] is { } error)
            {
                LogPduRefused(destination, eventId, error.ToJsonString());
            }
        }
    }

    private async Task BackOffAsync(string destination, DestinationQueue queue, Exception error, CancellationToken stoppingToken)
    {
        queue.Failures++;
        var delay = TimeSpan.FromTicks(Math.Min(options.MaxRetryDelay.Ticks, options.FirstRetryDelay.Ticks * (1L << Math.Min(queue.Failures - 1, 30))));
        LogBackoff(error, destination, queue.Failures, delay.TotalSeconds);
        using var backoff = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        lock (queue.Lock)
        {
            queue.Backoff = backoff;
        }

        try
        {
            await Task.Delay(delay, time, backoff.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The destination contacted us: it is up again.
        }
        finally
        {
            lock (queue.Lock)
            {
                queue.Backoff = null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Federation: the queue of {Destination} stopped; it resumes with its next event")]
    private partial void LogDrainFailed(Exception exception, string destination);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Federation: {Destination} refused a transaction; its items are dropped")]
    private partial void LogRefused(Exception exception, string destination);

    [LoggerMessage(Level = LogLevel.Information, Message = "Federation: {Destination} refused PDU {EventId}: {Error}")]
    private partial void LogPduRefused(string destination, string eventId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Federation: sending to {Destination} failed ({Failures} in a row); retrying in {Seconds} s")]
    private partial void LogBackoff(Exception exception, string destination, int failures, double seconds);
}
