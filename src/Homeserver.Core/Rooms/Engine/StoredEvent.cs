namespace Homeserver.Core.Rooms.Engine;

/// <summary>An event as the room engine loads it: its numeric ID, its ID and its JSON as stored.</summary>
public sealed record StoredEvent(long EventNid, string EventId, long Depth, string Json);
