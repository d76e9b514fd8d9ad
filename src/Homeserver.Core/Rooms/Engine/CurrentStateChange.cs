namespace Homeserver.Core.Rooms.Engine;

/// <summary>One entry of a room's materialised current state: set to an event, or removed (null event).</summary>
public sealed record CurrentStateChange(long RoomNid, long StateKeyNid, long? EventNid);
