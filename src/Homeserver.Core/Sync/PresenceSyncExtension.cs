using System.Text.Json.Nodes;
using Homeserver.Core.Keys;
using Homeserver.Core.Presence;
using Homeserver.Core.Sync.Streams;

namespace Homeserver.Core.Sync;

/// <summary>The <c>presence</c> part of <c>/sync</c>: changes of the user and of everyone sharing a room with them.</summary>
public sealed class PresenceSyncExtension(IPresenceStore presence, ISharedRoomUsers sharedRooms, TimeProvider time) : ISyncExtension
{
    public async Task<bool> AddAsync(SyncContext context, CancellationToken cancellationToken)
    {
        var since = context.Since?[StreamName.Presence] ?? 0;
        var upTo = context.UpTo[StreamName.Presence];
        if (since >= upTo)
        {
            return false;
        }

        var users = await sharedRooms.UsersSharingRoomsWithAsync(context.Session.UserId, cancellationToken);
        var changes = await presence.GetChangesAsync([.. users], since, upTo, cancellationToken);
        if (changes.Count == 0)
        {
            return false;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        context.Response["presence"] = new JsonObject
        {
            ["events"] = new JsonArray([.. changes.Select(p => (JsonNode)new JsonObject
            {
                ["type"] = "m.presence",
                ["sender"] = p.UserId,
                ["content"] = PresenceService.Content(p, now),
            })]),
        };
        return true;
    }
}
