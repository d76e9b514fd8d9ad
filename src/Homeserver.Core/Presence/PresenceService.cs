using System.Text.Json.Nodes;
using Homeserver.Core.Accounts;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Keys;
using Homeserver.Core.Server;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Presence;

/// <summary>
/// Presence (client-server API, "Presence"): set by the user, or by <c>/sync</c>'s <c>set_presence</c>; sent to the
/// other servers sharing a room with the user, and received from them for their users, as <c>m.presence</c> EDUs
/// (server-server API, "Presence").
/// </summary>
public sealed class PresenceService(
    IPresenceStore presence,
    PresenceStates states,
    IAccountStore accounts,
    ISharedRoomUsers sharedRooms,
    SyncNotifier notifier,
    EduSender edus,
    ServerIdentity server,
    TimeProvider time)
{
    public const string PresenceEdu = "m.presence";
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

        // Another server's user is known here only through the rooms shared with them, already checked.
        if (server.IsLocal(userId) && await accounts.GetUserAsync(userId, cancellationToken) is null)
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

    /// <summary>
    /// An <c>m.presence</c> EDU from <paramref name="origin"/>: each update of one of its users who shares a room with
    /// a local user is stored and wakes those local users; the rest is ignored.
    /// </summary>
    public async Task ReceiveAsync(string origin, JsonObject content, CancellationToken cancellationToken)
    {
        foreach (var push in (content["push"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (push["user_id"] is not JsonValue u || !u.TryGetValue<string>(out var userId)
                || !UserId.TryParse(userId, out var id) || id.Server.Value != origin
                || push["presence"] is not JsonValue p || !p.TryGetValue<string>(out var state) || state is not (Online or Unavailable or Offline))
            {
                continue;
            }

            var status = push["status_msg"] is JsonValue s && s.TryGetValue<string>(out var text) && text.Length <= MaxStatusLength ? text : null;
            var ago = push["last_active_ago"] is JsonValue a && a.TryGetValue<long>(out var ms) && ms >= 0 ? ms : 0;
            var local = (await sharedRooms.UsersSharingRoomsWithAsync(userId, cancellationToken)).Where(server.IsLocal).ToList();
            if (local.Count == 0)
            {
                continue;
            }

            await presence.SetAsync(new UserPresence(userId, state, status, Now - ago), cancellationToken);
            notifier.NotifyUsers(local);
        }
    }

    private async Task WriteAsync(UserPresence update, CancellationToken cancellationToken)
    {
        await presence.SetAsync(update, cancellationToken);
        states.Set(update.UserId, update.Presence);
        var sharing = await sharedRooms.UsersSharingRoomsWithAsync(update.UserId, cancellationToken);
        notifier.NotifyUsers(sharing);
        var push = Content(update, Now);
        push["user_id"] = update.UserId;
        await edus.QueueToServersOfAsync(sharing, [(PresenceEdu, new JsonObject { ["push"] = new JsonArray(push) })], cancellationToken);
    }


    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();
}
