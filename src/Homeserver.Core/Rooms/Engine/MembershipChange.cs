namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// A user's current membership of a room, as the room_memberships table holds it. Whether the row exists is the
/// store's to find out: a membership can exist without a member event in the room's state (an invite from another
/// server to a room this server is not in).
/// </summary>
public sealed record MembershipChange(long RoomNid, string UserId, string Membership, long EventNid, long StreamOrdering);
