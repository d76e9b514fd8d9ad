using System.Collections.Concurrent;

namespace Homeserver.Core.Sync.Filters;

/// <summary>
/// Filters as parsed, so that a client's every <c>/sync</c> does not read and parse its filter again: a stored
/// filter never changes once uploaded (the API has no way to change one), and an inline one is keyed by its text
/// (which starts with <c>{</c>, where a stored filter's key starts with its user's ID).
/// </summary>
public sealed class ParsedFilters
{
    /// <summary>
    /// A bound on memory, counted in key characters (an inline filter's text is its key, and a typical parsed
    /// filter takes a few times that), against clients that send a new inline filter each time: past it all are
    /// dropped and parsed again as they come.
    /// </summary>
    public const long MaxKeyChars = 4 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, SyncFilter> _entries = new(StringComparer.Ordinal);
    private long _keyChars;

    public static string StoredKey(string userId, long filterId) => $"{userId}\n{filterId}";

    public bool TryGet(string key, out SyncFilter filter) => _entries.TryGetValue(key, out filter!);

    public void Add(string key, SyncFilter filter)
    {
        if (Interlocked.Add(ref _keyChars, key.Length) > MaxKeyChars)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _keyChars, key.Length);
        }

        _entries[key] = filter;
    }
}
