using System.Collections.Concurrent;

namespace Homeserver.Core.Sync.Filters;

/// <summary>
/// Filters as parsed, so that a client's every <c>/sync</c> does not read and parse its filter again: a stored
/// filter never changes once uploaded (the API has no way to change one), and an inline one is keyed by its text
/// (which starts with <c>{</c>, where a stored filter's key starts with its user's ID).
/// </summary>
public sealed class ParsedFilters
{
    /// <summary>A bound on memory against clients that send a new inline filter each time; past it all are dropped.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, SyncFilter> _entries = new(StringComparer.Ordinal);

    public static string StoredKey(string userId, long filterId) => $"{userId}\n{filterId}";

    public bool TryGet(string key, out SyncFilter filter) => _entries.TryGetValue(key, out filter!);

    public void Add(string key, SyncFilter filter)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = filter;
    }
}
