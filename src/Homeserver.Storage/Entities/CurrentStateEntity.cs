namespace Homeserver.Storage.Entities;

/// <summary>The current state of a room, materialised for fast reads.</summary>
public sealed class CurrentStateEntity
{
    public long RoomNid { get; set; }

    public long StateKeyNid { get; set; }

    public long EventNid { get; set; }
}
