namespace Homeserver.Storage.Entities;

/// <summary>An event of the room with no known successor: the prev_events of the next local event.</summary>
public sealed class ForwardExtremityEntity
{
    public long RoomNid { get; set; }

    public long EventNid { get; set; }
}
