namespace Homeserver.Storage.Entities;

/// <summary>The current membership of a user in a room, with the stream position at which it took effect.</summary>
public sealed class RoomMembershipEntity
{
    public long RoomNid { get; set; }

    public required string UserId { get; set; }

    public required string Membership { get; set; }

    public long EventNid { get; set; }

    public long StreamOrdering { get; set; }

    /// <summary>Set by <c>/forget</c> after leaving; a new membership event clears it.</summary>
    public bool Forgotten { get; set; }
}
