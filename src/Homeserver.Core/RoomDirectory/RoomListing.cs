using Homeserver.Core.Rooms;

namespace Homeserver.Core.RoomDirectory;

/// <summary>
/// What a room directory or a space hierarchy shows of a room known here: its joined members and the current state
/// events of the types asked for.
/// </summary>
public sealed record RoomListing(string RoomId, int JoinedMembers, IReadOnlyList<RoomEvent> State);
