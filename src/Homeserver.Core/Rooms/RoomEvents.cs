using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms;

/// <summary>Conversions of stored events for the protocol algorithms.</summary>
public static class RoomEvents
{
    public static Pdu? ToPdu(RoomEvent? e, RoomVersionRules rules) =>
        e is null ? null : Pdu.FromJson(JsonNode.Parse(e.Json)!.AsObject(), e.EventId, rules);
}
