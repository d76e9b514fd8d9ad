using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms;

/// <summary>The state an invitee or knocker may see before joining (client-server API, "Stripped state").</summary>
public static class StrippedState
{
    private static readonly string[] Shown =
        [EventTypes.Create, EventTypes.JoinRules, EventTypes.Name, EventTypes.Avatar, EventTypes.CanonicalAlias, EventTypes.Encryption, EventTypes.Topic];

    /// <param name="userId">The invitee or knocker, whose own member event is shown too.</param>
    public static JsonArray Of(IEnumerable<RoomEvent> currentState, string userId) =>
        [.. currentState.Where(e => Shown.Contains(e.Type) || (e.Type == EventTypes.Member && e.StateKey == userId)).Select(e => (JsonNode)ClientEventFormat.Stripped(e))];
}
