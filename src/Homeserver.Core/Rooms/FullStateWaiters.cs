using System.Collections.Concurrent;

namespace Homeserver.Core.Rooms;

/// <summary>
/// Requests that answer with a room's whole membership (<c>/members</c>, <c>/joined_members</c>) wait here while
/// the room's state is partial, rather than answer with the few members known; past <see cref="MaxWait"/> they
/// answer with those.
/// </summary>
public sealed class FullStateWaiters(TimeProvider time)
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    /// <param name="stillPartial">Asked after the wait is registered, so that a completion in between is not missed.</param>
    public async Task WaitAsync(string roomId, Func<Task<bool>> stillPartial, CancellationToken cancellationToken)
    {
        var completion = _waiting.GetOrAdd(roomId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!await stillPartial())
        {
            Completed(roomId);
            return;
        }

        try
        {
            await completion.Task.WaitAsync(MaxWait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    public void Completed(string roomId)
    {
        if (_waiting.TryRemove(roomId, out var completion))
        {
            completion.TrySetResult();
        }
    }
}
