namespace Homeserver.Storage.Entities;

/// <summary>A room joined with its members left out of the state, until the full state is fetched.</summary>
public sealed class PartialStateRoomEntity
{
    public long RoomNid { get; set; }

    /// <summary>Our join, at which the full state is asked.</summary>
    public required string JoinEventId { get; set; }

    /// <summary>The servers the resident server named as being in the room, one per line.</summary>
    public required string Servers { get; set; }

    /// <summary>The complete snapshot of the partial state before the join; it and later ones are filled in.</summary>
    public long FirstSnapshotNid { get; set; }
}
