namespace Homeserver.Core.Rooms.Engine;

/// <summary>A user's current membership of a room, as the room_memberships table holds it.</summary>
public sealed record MembershipChange(long RoomNid, string UserId, string Membership, long EventNid, long StreamOrdering, bool Replaces);
