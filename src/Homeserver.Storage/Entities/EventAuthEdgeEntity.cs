namespace Homeserver.Storage.Entities;

/// <summary>An auth_events link.</summary>
public sealed class EventAuthEdgeEntity
{
    public long EventNid { get; set; }

    public long AuthEventNid { get; set; }
}
