namespace Homeserver.Client.Rooms;

public sealed record RoomIdResponse(string RoomId);
