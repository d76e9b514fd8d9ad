using System.Text.Json.Nodes;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>The committed events of a write, in the order of its drafts.</summary>
public sealed record WriteResult(string RoomId, IReadOnlyList<string> EventIds)
{
    /// <summary>For received events: why each refused one was refused, by event ID.</summary>
    public IReadOnlyDictionary<string, string> Refused { get; init; } = new Dictionary<string, string>();

    /// <summary>For a template: the unsigned event, with its prev and auth events and depth filled in.</summary>
    public JsonObject? Template { get; init; }
}
