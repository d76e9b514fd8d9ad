using Homeserver.Core.Keys;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Keys;

/// <summary>The user and everyone joined to a room the user is joined to, read from room_memberships.</summary>
internal sealed class SharedRoomUsers(HomeserverDbContext db) : ISharedRoomUsers
{
    private const string Join = "join";

    public async Task<IReadOnlySet<string>> UsersSharingRoomsWithAsync(string userId, CancellationToken cancellationToken)
    {
        var rooms = db.RoomMemberships.Where(m => m.UserId == userId && m.Membership == Join).Select(m => m.RoomNid);
        var users = await db.RoomMemberships.AsNoTracking()
            .Where(m => m.Membership == Join && rooms.Contains(m.RoomNid))
            .Select(m => m.UserId)
            .Distinct()
            .ToListAsync(cancellationToken);
        return new HashSet<string>(users.Append(userId), StringComparer.Ordinal);
    }
}
