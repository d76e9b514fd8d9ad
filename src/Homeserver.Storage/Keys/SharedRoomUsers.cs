using Homeserver.Core.Keys;
using Homeserver.Protocol.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Keys;

/// <summary>Who shares a room with whom, read from room_memberships; local users are those with an account.</summary>
internal sealed class SharedRoomUsers(HomeserverDbContext db) : ISharedRoomUsers
{
    public async Task<IReadOnlySet<string>> UsersSharingRoomsWithAsync(string userId, CancellationToken cancellationToken)
    {
        var rooms = db.RoomMemberships.Where(m => m.UserId == userId && m.Membership == Memberships.Join).Select(m => m.RoomNid);
        var users = await db.RoomMemberships.AsNoTracking()
            .Where(m => m.Membership == Memberships.Join && rooms.Contains(m.RoomNid))
            .Select(m => m.UserId)
            .Distinct()
            .ToListAsync(cancellationToken);
        return new HashSet<string>(users.Append(userId), StringComparer.Ordinal);
    }

    public async Task<IReadOnlySet<string>> SharingWithLocalUsersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        var users = await LocalRoomSharing.JoinsSharedWithLocalUsers(db).AsNoTracking()
            .Where(m => userIds.Contains(m.UserId))
            .Select(m => m.UserId)
            .Distinct()
            .ToListAsync(cancellationToken);
        return new HashSet<string>(users, StringComparer.Ordinal);
    }

    public async Task<RoomSharingChanges> SharingChangesAsync(string userId, long since, long upTo, CancellationToken cancellationToken)
    {
        var rooms = db.RoomMemberships.Where(m => m.UserId == userId).Select(m => m.RoomNid);
        var moved = await db.RoomMemberships.AsNoTracking()
            .Where(m => rooms.Contains(m.RoomNid) && m.StreamOrdering > since && m.StreamOrdering <= upTo)
            .Select(m => new { m.RoomNid, m.UserId, m.Membership })
            .ToListAsync(cancellationToken);
        var joined = new HashSet<string>(StringComparer.Ordinal);
        var left = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in moved.Where(m => m.UserId != userId))
        {
            if (m.Membership == Memberships.Join)
            {
                joined.Add(m.UserId);
            }
            else if (m.Membership is Memberships.Leave or Memberships.Ban)
            {
                left.Add(m.UserId);
            }
        }

        // The user's own joins and departures change whom they share a room with: everyone joined there.
        var own = moved.Where(m => m.UserId == userId && m.Membership is Memberships.Join or Memberships.Leave or Memberships.Ban).ToList();
        if (own.Count > 0)
        {
            var ownRooms = own.Select(m => m.RoomNid).ToList();
            var members = await db.RoomMemberships.AsNoTracking()
                .Where(m => ownRooms.Contains(m.RoomNid) && m.Membership == Memberships.Join && m.UserId != userId)
                .Select(m => new { m.RoomNid, m.UserId })
                .ToListAsync(cancellationToken);
            var joinedRooms = own.Where(m => m.Membership == Memberships.Join).Select(m => m.RoomNid).ToHashSet();
            foreach (var m in members)
            {
                (joinedRooms.Contains(m.RoomNid) ? joined : left).Add(m.UserId);
            }
        }

        return new RoomSharingChanges(joined, left);
    }
}
