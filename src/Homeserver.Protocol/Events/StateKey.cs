namespace Homeserver.Protocol.Events;

/// <summary>The (event type, state key) pair that identifies a piece of room state.</summary>
public readonly record struct StateKey(string Type, string Key)
{
    public override string ToString() => $"({Type}, {Key})";
}
