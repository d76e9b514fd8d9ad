using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Rooms.Typing;

/// <summary><c>PUT /rooms/{roomId}/typing/{userId}</c> (client-server API, "Typing Notifications").</summary>
public sealed class TypingService(TypingTracker tracker, IRoomReadStore rooms)
{
    private const long DefaultTimeoutMs = 30_000;

    public async Task SetAsync(Session session, string roomId, string userId, JsonObject body, CancellationToken cancellationToken)
    {
        if (session.UserId != userId)
        {
            throw MatrixException.Forbidden("You can only set your own typing state");
        }

        if (body["typing"] is not JsonValue typingValue || !typingValue.TryGetValue<bool>(out var typing))
        {
            throw body["typing"] is null ? MatrixException.MissingParam("typing is required") : MatrixException.BadJson("typing must be a boolean");
        }

        var timeout = DefaultTimeoutMs;
        if (body["timeout"] is { } t && (t is not JsonValue tv || !tv.TryGetValue(out timeout) || timeout < 0))
        {
            throw MatrixException.BadJson("timeout must be a non-negative integer");
        }

        if (!RoomId.TryParse(roomId, out _))
        {
            throw MatrixException.InvalidParam("Not a valid room ID");
        }

        var room = await rooms.GetRoomAsync(roomId, cancellationToken) ?? throw MatrixException.NotFound("Unknown room");
        var member = await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.Member, userId, cancellationToken);
        if (member is null || MembershipService.MembershipOf(member) != Memberships.Join)
        {
            throw MatrixException.Forbidden("You are not in the room");
        }

        tracker.Set(roomId, userId, typing, TimeSpan.FromMilliseconds(timeout));
    }
}
