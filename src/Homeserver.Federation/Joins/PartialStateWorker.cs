using Homeserver.Core.Federation;
using Homeserver.Federation.Sending;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Homeserver.Federation.Joins;

/// <summary>
/// Completes the state of rooms joined with partial state, each as soon as it is joined, and at start whatever was
/// left when the server stopped. A room whose servers give no usable answer is tried again with the sender's
/// doubling delay, up to its cap.
/// </summary>
public sealed partial class PartialStateWorker(PartialStateCompletion completion, PartialStateSignal signal, FederationSenderOptions retry,
    TimeProvider time, ILogger<PartialStateWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var (roomId, _, _) in await completion.PendingAsync(stoppingToken))
            {
                Start(roomId, stoppingToken);
            }

            await foreach (var roomId in signal.Reader.ReadAllAsync(stoppingToken))
            {
                Start(roomId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Task[] running;
        lock (_running)
        {
            running = [.. _running.Values];
        }

        await Task.WhenAll(running);
    }

    private void Start(string roomId, CancellationToken stoppingToken)
    {
        lock (_running)
        {
            if (!_running.ContainsKey(roomId))
            {
                _running[roomId] = Task.Run(() => CompleteAsync(roomId, stoppingToken), CancellationToken.None);
            }
        }
    }

    private async Task CompleteAsync(string roomId, CancellationToken stoppingToken)
    {
        try
        {
            var delay = retry.FirstRetryDelay;
            while (!await completion.CompleteAsync(roomId, stoppingToken))
            {
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, retry.MaxRetryDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Left for the next start; the room stays usable meanwhile, with the members it has.
            LogFailed(e, roomId);
        }
        finally
        {
            lock (_running)
            {
                _running.Remove(roomId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Completing the state of {RoomId} failed")]
    private partial void LogFailed(Exception exception, string roomId);
}
