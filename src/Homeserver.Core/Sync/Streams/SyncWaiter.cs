namespace Homeserver.Core.Sync.Streams;

/// <summary>One waiting <c>/sync</c> request; <see cref="WaitAsync"/> completes when it is woken or times out.</summary>
public sealed class SyncWaiter : IDisposable
{
    private readonly SyncNotifier _notifier;
    private readonly TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SyncWaiter(SyncNotifier notifier, string userId, IReadOnlyCollection<string> roomIds)
    {
        _notifier = notifier;
        UserId = userId;
        RoomIds = roomIds;
    }

    internal string UserId { get; }

    internal IReadOnlyCollection<string> RoomIds { get; }

    /// <summary>True when woken, false when the timeout passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await _woken.Task.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose() => _notifier.Unregister(this);

    internal void Wake() => _woken.TrySetResult();
}
