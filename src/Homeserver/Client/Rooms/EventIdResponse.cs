namespace Homeserver.Client.Rooms;

public sealed record EventIdResponse(string EventId);
