using System.Text.Json.Nodes;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>A forward extremity: a prev event of the next event, with what the event formats need to cite it.</summary>
public sealed record Extremity(long EventNid, string EventId, long Depth, JsonNode? Hashes);
