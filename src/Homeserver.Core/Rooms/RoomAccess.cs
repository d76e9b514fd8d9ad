using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;

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

    /// <summary>A string field of the event's content; null when absent or not a string.</summary>
    public static string? ContentString(RoomEvent e, string key) =>
        JsonNode.Parse(e.Json)?["content"]?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
