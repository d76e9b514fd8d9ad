namespace Homeserver.Core.Rooms.Engine;

/// <summary>A room's partial state begun (with what it is) or ended (null).</summary>
public sealed record PartialStateChange(long RoomNid, PartialState? State);
