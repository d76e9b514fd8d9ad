using Homeserver.Core.Sync.Streams;

namespace Homeserver.Core.Keys;

/// <summary>
/// The <c>device_lists</c> of an incremental <c>/sync</c>, and the answer of <c>/keys/changes</c>: users sharing a
/// room with the user whose devices or keys changed, or who started sharing one (their devices are news to the
/// client); and users who no longer share any room (the client stops tracking them).
/// </summary>
public sealed class DeviceListChanges(IDeviceKeyStore keys, ISharedRoomUsers sharedRooms, StreamHeads heads)
{
    /// <param name="since">The positions of the event and device-list streams the client has seen.</param>
    /// <param name="upTo">The positions it is brought up to.</param>
    /// <param name="roomNids">
    /// Every room the user has a membership of, when the caller has read them: then memory can often tell that
    /// nobody joined or left any of them, and the membership changes need no read.
    /// </param>
    public async Task<KeysChangesResult> BetweenAsync(string userId, (long Events, long DeviceLists) since, (long Events, long DeviceLists) upTo,
        IReadOnlyCollection<long>? roomNids, CancellationToken cancellationToken)
    {
        if (since.Events >= upTo.Events && since.DeviceLists >= upTo.DeviceLists)
        {
            return new KeysChangesResult([], []);
        }

        // Membership changes are looked at first: most syncs have none, and then who shares a room is not needed.
        var membershipsMoved = since.Events < upTo.Events && (roomNids is null || !heads.NoMembershipChangeAfter(userId, roomNids, since.Events));
        var moves = membershipsMoved ? await sharedRooms.SharingChangesAsync(userId, since.Events, upTo.Events, cancellationToken) : null;
        if (since.DeviceLists >= upTo.DeviceLists && moves is not { Joined.Count: > 0 } and not { Left.Count: > 0 })
        {
            return new KeysChangesResult([], []);
        }

        var shared = await sharedRooms.UsersSharingRoomsWithAsync(userId, cancellationToken);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        if (since.DeviceLists < upTo.DeviceLists)
        {
            changed.UnionWith(await keys.ChangedUsersAsync([.. shared], since.DeviceLists, upTo.DeviceLists, cancellationToken));
        }

        var left = new List<string>();
        if (moves is not null)
        {
            changed.UnionWith(moves.Joined.Where(u => u != userId && shared.Contains(u)));
            left.AddRange(moves.Left.Where(u => !shared.Contains(u)).Order(StringComparer.Ordinal));
        }

        return new KeysChangesResult([.. changed.Order(StringComparer.Ordinal)], left);
    }
}
