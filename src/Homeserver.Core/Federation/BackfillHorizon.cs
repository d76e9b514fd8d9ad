using System.Collections.Concurrent;

namespace Homeserver.Core.Federation;

/// <summary>
/// Per room, the oldest timeline event from which no server had older history to give, so that paging back past
/// it does not ask again on every <c>/messages</c> request. Kept in memory: after a restart one request asks again.
/// </summary>
public sealed class BackfillHorizon
{
    private readonly ConcurrentDictionary<string, string> _reached = new(StringComparer.Ordinal);

    public bool IsReached(string roomId, string oldestEventId) => _reached.TryGetValue(roomId, out var id) && id == oldestEventId;

    public void Reach(string roomId, string oldestEventId) => _reached[roomId] = oldestEventId;
}
