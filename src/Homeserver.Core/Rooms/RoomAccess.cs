using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;
using Homeserver.Protocol.PowerLevels;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms;

/// <summary>The checks every room endpoint starts with: a valid, known room, and the caller's place in it.</summary>
public sealed class RoomAccess(IRoomReadStore rooms)
{
    /// <exception cref="MatrixException">400 for a malformed room ID, 404 for a room this server does not know.</exception>
    public async Task<RoomSummary> RequireRoomAsync(string roomId, CancellationToken cancellationToken)
    {
        if (!RoomId.TryParse(roomId, out _))
        {
            throw MatrixException.InvalidParam("Not a valid room ID");
        }

        return await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
    }

    /// <exception cref="MatrixException">As <see cref="RequireRoomAsync"/>, and 403 when the user is not joined.</exception>
    public async Task<RoomSummary> RequireJoinedAsync(string roomId, string userId, CancellationToken cancellationToken)
    {
        var room = await RequireRoomAsync(roomId, cancellationToken);
        return await MembershipAsync(room, userId, cancellationToken) == Memberships.Join ? room : throw MatrixException.Forbidden("You are not in the room");
    }

    /// <summary>The user's current membership of the room; null when they never had one.</summary>
    public async Task<string?> MembershipAsync(RoomSummary room, string userId, CancellationToken cancellationToken) =>
        await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.Member, userId, cancellationToken) is { } e ? ContentString(e, "membership") : null;

    public async Task<bool> IsWorldReadableAsync(RoomSummary room, CancellationToken cancellationToken) =>
        await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.HistoryVisibility, "", cancellationToken) is { } e
        && ContentString(e, "history_visibility") == HistoryVisibility.WorldReadable;

    /// <summary>
    /// Whether the user may send a state event of <paramref name="type"/> under the room's current power levels;
    /// false in a room of a version this server does not know.
    /// </summary>
    public async Task<bool> CanSendStateAsync(RoomSummary room, string userId, string type, CancellationToken cancellationToken)
    {
        if (!RoomVersions.TryGet(room.RoomVersion, out var rules))
        {
            return false;
        }

        var powerLevels = await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.PowerLevels, "", cancellationToken);
        var create = await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.Create, "", cancellationToken);
        return RoomPowerLevels.From(RoomEvents.ToPdu(powerLevels, rules), RoomEvents.ToPdu(create, rules), rules).CanSend(userId, type, isState: true);
    }

    /// <summary>A string field of the event's content; null when absent or not a string.</summary>
    public static string? ContentString(RoomEvent e, string key) =>
        JsonNode.Parse(e.Json)?["content"]?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
