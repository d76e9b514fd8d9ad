using System.Text.Json.Nodes;
using Homeserver.Core.Accounts;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Keys;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Presence;

/// <summary>Presence (client-server API, "Presence"): set by the user, or by <c>/sync</c>'s <c>set_presence</c>.</summary>
public sealed class PresenceService(IPresenceStore presence, PresenceStates states, IAccountStore accounts, ISharedRoomUsers sharedRooms, SyncNotifier notifier, TimeProvider time)
{
    public const string Online = "online";
    public const string Unavailable = "unavailable";
    public const string Offline = "offline";
    private const int MaxStatusLength = 1024;

    public async Task SetAsync(Session session, string userId, JsonObject body, CancellationToken cancellationToken)
    {
        if (session.UserId != userId)
        {
            throw MatrixException.Forbidden("You can only set your own presence");
        }

        var state = body["presence"] switch
        {
            null => throw MatrixException.MissingParam("presence is required"),
            JsonValue v when v.TryGetValue<string>(out var s) && s is Online or Unavailable or Offline => s,
            _ => throw MatrixException.BadJson("presence is online, unavailable or offline"),
        };
        string? status = null;
        if (body["status_msg"] is { } node && (node is not JsonValue sv || !sv.TryGetValue(out status) || status.Length > MaxStatusLength))
        {
            throw MatrixException.BadJson($"status_msg is a string of at most {MaxStatusLength} characters");
        }

        await WriteAsync(new UserPresence(userId, state, status, Now), cancellationToken);
    }

    /// <summary>For <c>/sync?set_presence=…</c>: records the state only when it changes, so that syncing stays a read.</summary>
    public async Task SetFromSyncAsync(string userId, string? setPresence, CancellationToken cancellationToken)
    {
        var state = setPresence ?? Online;
        if (state is not (Online or Unavailable or Offline))
        {
            throw MatrixException.InvalidParam("set_presence is online, unavailable or offline");
        }

        if (states.TryGet(userId, out var known) && known == state)
        {
            return;
        }

        var current = await presence.GetAsync(userId, cancellationToken);
        if (current?.Presence != state && !(state == Offline && current is null))
        {
            await WriteAsync(new UserPresence(userId, state, current?.StatusMessage, Now), cancellationToken);
        }
        else
        {
            states.Set(userId, state);
        }
    }

    public async Task<JsonObject> GetAsync(Session session, string userId, CancellationToken cancellationToken)
    {
        if (!UserId.TryParse(userId, out _))
        {
            throw MatrixException.InvalidParam("Not a valid user ID");
        }

        if (userId != session.UserId && !(await sharedRooms.UsersSharingRoomsWithAsync(session.UserId, cancellationToken)).Contains(userId))
        {
            throw MatrixException.Forbidden("You may see the presence only of users you share a room with");
        }

        if (await accounts.GetUserAsync(userId, cancellationToken) is null)
        {
            throw MatrixException.NotFound("Unknown user");
        }

        var current = await presence.GetAsync(userId, cancellationToken) ?? new UserPresence(userId, Offline, null, 0);
        return Content(current, Now);
    }

    /// <summary>The content of an <c>m.presence</c> event, or of the <c>GET</c> answer.</summary>
    public static JsonObject Content(UserPresence p, long nowMs)
    {
        var content = new JsonObject { ["presence"] = p.Presence };
        if (p.LastActiveTs > 0)
        {
            content["last_active_ago"] = Math.Max(0, nowMs - p.LastActiveTs);
            content["currently_active"] = p.Presence == Online;
        }

        if (p.StatusMessage is not null)
        {
            content["status_msg"] = p.StatusMessage;
        }

        return content;
    }

    private async Task WriteAsync(UserPresence update, CancellationToken cancellationToken)
    {
        await presence.SetAsync(update, cancellationToken);
        states.Set(update.UserId, update.Presence);
        notifier.NotifyUsers(await sharedRooms.UsersSharingRoomsWithAsync(update.UserId, cancellationToken));
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();
}
