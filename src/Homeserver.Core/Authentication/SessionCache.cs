using System.Collections.Concurrent;

namespace Homeserver.Core.Authentication;

/// <summary>
/// Sessions by token hash, so that an authenticated request makes no read to find its session. Every store that
/// deletes tokens or deactivates an account calls <see cref="ForgetUser"/> after its commit; a lookup that raced
/// with such a change is not kept (<see cref="Generation"/>). Entries also age out, for changes made by another
/// process on the same database.
/// </summary>
public sealed class SessionCache(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (Session Session, DateTimeOffset Cached)> _sessions = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Read before looking a session up, and handed to <see cref="Add"/> with what was found.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string tokenHash, out Session session)
    {
        if (_sessions.TryGetValue(tokenHash, out var entry) && time.GetUtcNow() - entry.Cached < Lifetime)
        {
            session = entry.Session;
            return true;
        }

        session = null!;
        return false;
    }

    public void Add(string tokenHash, Session session, long generation)
    {
        if (_sessions.Count >= MaxEntries)
        {
            _sessions.Clear();
        }

        _sessions[tokenHash] = (session, time.GetUtcNow());
        if (generation != Generation)
        {
            // A change committed while this session was being read: what was read may be gone already.
            _sessions.TryRemove(tokenHash, out _);
        }
    }

    public void ForgetUser(string userId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (hash, entry) in _sessions)
        {
            if (entry.Session.UserId == userId)
            {
                _sessions.TryRemove(hash, out _);
            }
        }
    }
}
