using System.Collections.Concurrent;
using Homeserver.Core.Rooms;
using Homeserver.Core.Sync.Streams;

namespace Homeserver.Core.Sync;

/// <summary>
/// The memberships each syncing user last read, so that a long-poll woken by a message does not read them again:
/// a copy is used only while the user's membership version in <see cref="StreamHeads"/> is the one it was read at.
/// The version is taken before the read, so a change that commits during the read makes the copy stale at once.
/// </summary>
public sealed class UserMembershipCache(StreamHeads heads)
{
    private readonly ConcurrentDictionary<string, (long Version, IReadOnlyList<UserMembership> Memberships)> _entries = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<UserMembership>> GetAsync(IRoomReadStore rooms, string userId, CancellationToken cancellationToken)
    {
        var version = heads.MembershipVersion(userId);
        if (_entries.TryGetValue(userId, out var entry) && entry.Version == version)
        {
            return entry.Memberships;
        }

        var memberships = await rooms.GetMembershipsAsync(userId, cancellationToken);
        _entries[userId] = (version, memberships);
        return memberships;
    }
}
