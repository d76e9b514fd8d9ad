using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.RoomDirectory;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Homeserver.Core.Profile;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Rooms;

/// <summary>Joining, leaving, inviting, kicking, banning and knocking (client-server API, "Room membership").</summary>
public sealed class MembershipService(RoomEventWriter writer, IRoomReadStore rooms, RoomAccess access, IProfileStore profiles, RoomAliasService aliases,
    RemoteJoiner remoteJoiner, ServerIdentity server)
{
    /// <summary>The content of a member event, with the user's display name and avatar as the spec recommends.</summary>
    public async Task<JsonObject> MemberContentAsync(string userId, string membership, CancellationToken cancellationToken)
    {
        var content = new JsonObject { ["membership"] = membership };
        if (await profiles.GetProfileAsync(userId, cancellationToken) is { } profile)
        {
            foreach (var key in new[] { "displayname", "avatar_url" })
            {
                if (profile[key] is JsonValue value && value.TryGetValue<string>(out var s))
                {
                    content[key] = s;
                }
            }
        }

        return content;
    }

    /// <param name="via">Servers to join through when the room is not known here (the <c>via</c> and <c>server_name</c> parameters).</param>
    public async Task<string> JoinAsync(Session session, string roomIdOrAlias, string? reason, IReadOnlyList<string> via, CancellationToken cancellationToken)
    {
        var content = WithReason(await MemberContentAsync(session.UserId, Memberships.Join, cancellationToken), reason);
        var (roomId, servers) = await LocateAsync(roomIdOrAlias, via, cancellationToken);
        if (await rooms.GetRoomAsync(roomId, cancellationToken) is null)
        {
            return await remoteJoiner.JoinAsync(roomId, session.UserId, content, servers, cancellationToken);
        }

        await SendMemberAsync(roomId, session.UserId, session.UserId, content, cancellationToken);
        return roomId;
    }

    public async Task<string> KnockAsync(Session session, string roomIdOrAlias, string? reason, CancellationToken cancellationToken)
    {
        var roomId = await ResolveAsync(roomIdOrAlias, cancellationToken);
        var content = await MemberContentAsync(session.UserId, Memberships.Knock, cancellationToken);
        await SendMemberAsync(roomId, session.UserId, session.UserId, WithReason(content, reason), cancellationToken);
        return roomId;
    }

    public async Task InviteAsync(Session session, string roomId, string userId, string? reason, bool isDirect, CancellationToken cancellationToken)
    {
        RequireUserId(userId);
        var content = await MemberContentAsync(userId, Memberships.Invite, cancellationToken);
        if (isDirect)
        {
            content["is_direct"] = true;
        }

        await SendMemberAsync(roomId, session.UserId, userId, WithReason(content, reason), cancellationToken);
    }

    public Task LeaveAsync(Session session, string roomId, string? reason, CancellationToken cancellationToken) =>
        SendMemberAsync(roomId, session.UserId, session.UserId, WithReason(new JsonObject { ["membership"] = Memberships.Leave }, reason), cancellationToken);

    public Task KickAsync(Session session, string roomId, string userId, string? reason, CancellationToken cancellationToken) =>
        SetOthersMembershipAsync(session, roomId, userId, Memberships.Leave, reason, cancellationToken);

    public Task BanAsync(Session session, string roomId, string userId, string? reason, CancellationToken cancellationToken) =>
        SetOthersMembershipAsync(session, roomId, userId, Memberships.Ban, reason, cancellationToken);

    public async Task UnbanAsync(Session session, string roomId, string userId, string? reason, CancellationToken cancellationToken)
    {
        RequireUserId(userId);
        var room = await access.RequireRoomAsync(roomId, cancellationToken);
        var current = await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.Member, userId, cancellationToken);
        if (current is null || RoomAccess.ContentString(current, "membership") != Memberships.Ban)
        {
            throw MatrixException.Forbidden("The user is not banned");
        }

        await SetOthersMembershipAsync(session, roomId, userId, Memberships.Leave, reason, cancellationToken);
    }

    public async Task ForgetAsync(Session session, string roomId, CancellationToken cancellationToken)
    {
        var room = await access.RequireRoomAsync(roomId, cancellationToken);
        var membership = (await rooms.GetMembershipsAsync(session.UserId, cancellationToken)).FirstOrDefault(m => m.RoomNid == room.RoomNid);
        if (membership is { Membership: Memberships.Join or Memberships.Invite or Memberships.Knock })
        {
            throw new MatrixException(Protocol.Errors.ErrorCode.Unknown, 400, "Leave the room before forgetting it");
        }

        if (membership is not null)
        {
            await rooms.SetForgottenAsync(room.RoomNid, session.UserId, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<string>> JoinedRoomsAsync(Session session, CancellationToken cancellationToken) =>
        [.. (await rooms.GetMembershipsAsync(session.UserId, cancellationToken)).Where(m => m.Membership == Memberships.Join).Select(m => m.RoomId)];

    private async Task SetOthersMembershipAsync(Session session, string roomId, string userId, string membership, string? reason, CancellationToken cancellationToken)
    {
        RequireUserId(userId);
        await SendMemberAsync(roomId, session.UserId, userId, WithReason(new JsonObject { ["membership"] = membership }, reason), cancellationToken);
    }

    private async Task SendMemberAsync(string roomId, string sender, string target, JsonObject content, CancellationToken cancellationToken)
    {
        await access.RequireRoomAsync(roomId, cancellationToken);
        await writer.SendAsync(new EventDraft(roomId, EventTypes.Member, target, sender, content), cancellationToken);
    }

    /// <summary>The room an ID or alias names, and the servers that may be in it (for a room not known here).</summary>
    private async Task<(string RoomId, IReadOnlyList<string> Servers)> LocateAsync(string roomIdOrAlias, IReadOnlyList<string> via, CancellationToken cancellationToken)
    {
        if (!roomIdOrAlias.StartsWith('#'))
        {
            if (!RoomId.TryParse(roomIdOrAlias, out _))
            {
                throw MatrixException.InvalidParam("Not a valid room ID or alias");
            }

            // Room IDs before version 12 name the server that created the room, which may still be in it.
            return (roomIdOrAlias, [.. via, LiveRoom.ServerOf(roomIdOrAlias)]);
        }

        if (!RoomAlias.TryParse(roomIdOrAlias, out _))
        {
            throw MatrixException.InvalidParam("Not a valid room alias");
        }

        if (await aliases.ResolveLocalAsync(roomIdOrAlias, cancellationToken) is { } local)
        {
            return (local, via);
        }

        if (LiveRoom.ServerOf(roomIdOrAlias) != server.ServerName && await remoteJoiner.ResolveAliasAsync(roomIdOrAlias, cancellationToken) is { } remote)
        {
            return (remote.RoomId, [.. via, .. remote.Servers]);
        }

        throw MatrixException.NotFound("No room has this alias");
    }

    private async Task<string> ResolveAsync(string roomIdOrAlias, CancellationToken cancellationToken)
    {
        if (roomIdOrAlias.StartsWith('#'))
        {
            if (!RoomAlias.TryParse(roomIdOrAlias, out _))
            {
                throw MatrixException.InvalidParam("Not a valid room alias");
            }

            return await aliases.ResolveLocalAsync(roomIdOrAlias, cancellationToken)
                   ?? throw MatrixException.NotFound("No room has this alias here (joining over federation is not available yet)");
        }

        await access.RequireRoomAsync(roomIdOrAlias, cancellationToken);
        return roomIdOrAlias;
    }

    private static void RequireUserId(string userId)
    {
        if (!UserId.TryParse(userId, out _))
        {
            throw MatrixException.InvalidParam("Not a valid user ID");
        }
    }

    private static JsonObject WithReason(JsonObject content, string? reason)
    {
        if (reason is not null)
        {
            content["reason"] = reason;
        }

        return content;
    }
}
