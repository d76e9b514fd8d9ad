using Homeserver.Core.Rooms;

namespace Homeserver.Core.RoomDirectory;

/// <summary>A room in this server's published room directory: its joined members and the state the directory shows.</summary>
public sealed record PublishedRoom(string RoomId, int JoinedMembers, IReadOnlyList<RoomEvent> State);
