using System.Collections.Concurrent;

namespace Homeserver.Core.Media;

/// <summary>
/// Wakes downloads that wait for created media to be uploaded (<c>timeout_ms</c>) when the upload lands in this
/// process. Uploads through another process are seen by the waiters' periodic re-reads instead.
/// </summary>
public sealed class MediaUploadNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>Completes when the media is uploaded or <paramref name="timeout"/> passes, whichever is first.</summary>
    public async Task WaitAsync(string serverName, string mediaId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = Key(serverName, mediaId);
        var signal = _waiters.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await signal.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Media that is never uploaded must not leave its entry behind. Other waiters on the same entry lose
            // their wake-up, not their answer: every waiter re-reads the database when its wait ends.
            _waiters.TryRemove(KeyValuePair.Create(key, signal));
        }
    }

    public void Notify(string serverName, string mediaId)
    {
        if (_waiters.TryRemove(Key(serverName, mediaId), out var signal))
        {
            signal.TrySetResult();
        }
    }

    private static string Key(string serverName, string mediaId) => serverName + "/" + mediaId;
}
