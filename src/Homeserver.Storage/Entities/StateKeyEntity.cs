namespace Homeserver.Storage.Entities;

/// <summary>The numeric ID of one (event type, state key) pair.</summary>
public sealed class StateKeyEntity
{
    public long StateKeyNid { get; set; }

    public required string EventType { get; set; }

    public required string StateKey { get; set; }
}
