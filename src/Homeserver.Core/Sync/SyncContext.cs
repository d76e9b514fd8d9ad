using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Rooms;

namespace Homeserver.Core.Sync;

/// <summary>One <c>/sync</c> computation as the extensions see it.</summary>
/// <param name="Memberships">Every membership the user has, as this sync read them.</param>
public sealed record SyncContext(Session Session, SyncToken? Since, SyncToken UpTo, IReadOnlyList<UserMembership> Memberships, IReadOnlyList<string> JoinedRoomIds, JsonObject Response)
{
    /// <summary>The <c>rooms.join.{roomId}</c> object of the response, created when the room had nothing else to say.</summary>
    public JsonObject JoinedRoom(string roomId)
    {
        if (Response["rooms"] is not JsonObject rooms)
        {
            Response["rooms"] = rooms = [];
        }

        if (rooms["join"] is not JsonObject join)
        {
            rooms["join"] = join = [];
        }

        if (join[roomId] is not JsonObject room)
        {
            join[roomId] = room = [];
        }

        return room;
    }
}
