namespace Homeserver.Storage.Entities;

/// <summary>One entry of a snapshot delta: the state key now maps to the event, or (null event) is removed.</summary>
public sealed class StateSnapshotEntryEntity
{
    public long SnapshotNid { get; set; }

    public long StateKeyNid { get; set; }

    public long? EventNid { get; set; }
}
