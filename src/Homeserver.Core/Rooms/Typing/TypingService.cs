using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;

namespace Homeserver.Core.Rooms.Typing;

/// <summary><c>PUT /rooms/{roomId}/typing/{userId}</c> (client-server API, "Typing Notifications").</summary>
public sealed class TypingService(TypingTracker tracker, RoomAccess access, EduSender edus)
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

        await access.RequireJoinedAsync(roomId, userId, cancellationToken);
        tracker.Set(roomId, userId, typing, TimeSpan.FromMilliseconds(timeout));
        // The other servers in the room show it too (server-server API, "Typing Notifications").
        await edus.QueueToRoomAsync(roomId, "m.typing", new JsonObject { ["room_id"] = roomId, ["user_id"] = userId, ["typing"] = typing }, cancellationToken);
    }
}
