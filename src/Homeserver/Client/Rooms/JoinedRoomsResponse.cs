namespace Homeserver.Client.Rooms;

public sealed record JoinedRoomsResponse(IReadOnlyList<string> JoinedRooms);
