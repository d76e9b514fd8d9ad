namespace Homeserver.Core.Rooms;

/// <summary>A user's current membership of one room and the stream position of the event that set it.</summary>
public sealed record UserMembership(long RoomNid, string RoomId, string Membership, long StreamOrdering, bool Forgotten, string EventId);
