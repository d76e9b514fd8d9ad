using Homeserver.Protocol.Authorization;
using Homeserver.Storage.Entities;

namespace Homeserver.Storage.Keys;

/// <summary>
/// The joined memberships in rooms where a local user (one with an account) is joined too: whose device lists this
/// server must follow. A query to compose into others, so that both the readers and the clean-up mean the same.
/// </summary>
internal static class LocalRoomSharing
{
    public static IQueryable<RoomMembershipEntity> JoinsSharedWithLocalUsers(HomeserverDbContext db) =>
        db.RoomMemberships.Where(m => m.Membership == Memberships.Join && db.RoomMemberships.Any(o =>
            o.RoomNid == m.RoomNid && o.Membership == Memberships.Join && db.Users.Any(u => u.UserId == o.UserId)));
}
