namespace Homeserver.Storage.Entities;

/// <summary>A prev_events link of the room DAG.</summary>
public sealed class EventEdgeEntity
{
    public long EventNid { get; set; }

    public long PrevEventNid { get; set; }
}
