using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.RoomDirectory;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Homeserver.Core.Profile;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms;

/// <summary>Joining, leaving, inviting, kicking, banning and knocking (client-server API, "Room membership").</summary>
public sealed class MembershipService(RoomEventWriter writer, IRoomReadStore rooms, RoomAccess access, IProfileStore profiles, RoomAliasService aliases,
    RemoteMembership remoteMembership, RestrictedJoins restrictedJoins, ServerIdentity server, StreamHeads heads)
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
        var room = await rooms.GetRoomAsync(roomId, cancellationToken);
        if (room is null)
        {
            return await remoteMembership.JoinAsync(roomId, session.UserId, content, servers, cancellationToken);
        }

        // A room known here but without any of our users joined (an invite from another server, or one we all
        // left) may have moved on: join through a server that is in it, when there is one to ask.
        if (!await rooms.IsJoinedByServerAsync(room.RoomNid, server.ServerName, cancellationToken)
            && await RemoteServersAsync(room, session.UserId, servers, cancellationToken) is { Count: > 0 } remote)
        {
            return await remoteMembership.JoinAsync(roomId, session.UserId, content, remote, cancellationToken);
        }

        if (await restrictedJoins.ChooseAuthoriserAsync(room, session.UserId, cancellationToken) is { } authoriser)
        {
            content[RestrictedJoins.AuthoriserKey] = authoriser;
        }

        await SendMemberAsync(roomId, session.UserId, session.UserId, content, cancellationToken);
        return roomId;
    }

    /// <param name="via">Servers to knock through when the room is not known here (the <c>via</c> and <c>server_name</c> parameters).</param>
    public async Task<string> KnockAsync(Session session, string roomIdOrAlias, string? reason, IReadOnlyList<string> via, CancellationToken cancellationToken)
    {
        var content = WithReason(await MemberContentAsync(session.UserId, Memberships.Knock, cancellationToken), reason);
        var (roomId, servers) = await LocateAsync(roomIdOrAlias, via, cancellationToken);
        var room = await rooms.GetRoomAsync(roomId, cancellationToken);
        if (room is null || !await rooms.IsJoinedByServerAsync(room.RoomNid, server.ServerName, cancellationToken))
        {
            var remote = room is null ? servers : await RemoteServersAsync(room, session.UserId, servers, cancellationToken);
            await remoteMembership.KnockAsync(roomId, session.UserId, content, remote, cancellationToken);
            return roomId;
        }

        await SendMemberAsync(roomId, session.UserId, session.UserId, content, cancellationToken);
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

        WithReason(content, reason);
        var invitedServer = LiveRoom.ServerOf(userId);
        if (invitedServer == server.ServerName)
        {
            await SendMemberAsync(roomId, session.UserId, userId, content, cancellationToken);
            return;
        }

        // The invitee's server signs the invite before it enters the room (server-server API, "Inviting to a room").
        var room = await access.RequireRoomAsync(roomId, cancellationToken);
        if (!RoomVersions.TryGet(room.RoomVersion, out var rules))
        {
            throw MatrixException.NotFound("Unknown room");
        }

        var template = await writer.TemplateAsync(new EventDraft(roomId, EventTypes.Member, userId, session.UserId, content), cancellationToken);
        var stripped = StrippedState.Of(await rooms.GetCurrentStateAsync(room.RoomNid, cancellationToken), userId);
        var invite = await remoteMembership.InviteAsync(template, rules, stripped, cancellationToken);
        var outcome = await writer.AcceptAsync(new RemoteEvents(roomId, [invite], ForwardExcept: invitedServer), cancellationToken);
        if (outcome.Refused.TryGetValue(invite.EventId, out var refusal))
        {
            throw MatrixException.Forbidden($"The invite is not allowed: {refusal}");
        }
    }

    public async Task LeaveAsync(Session session, string roomId, string? reason, CancellationToken cancellationToken)
    {
        var content = WithReason(new JsonObject { ["membership"] = Memberships.Leave }, reason);
        var room = await access.RequireRoomAsync(roomId, cancellationToken);
        // Leaving a room none of our users is in (rejecting an invite from another server) goes through a server in it.
        if (!await rooms.IsJoinedByServerAsync(room.RoomNid, server.ServerName, cancellationToken)
            && await RemoteServersAsync(room, session.UserId, [], cancellationToken) is { Count: > 0 } remote)
        {
            await remoteMembership.LeaveAsync(roomId, session.UserId, content, remote, cancellationToken);
            return;
        }

        await SendMemberAsync(roomId, session.UserId, session.UserId, content, cancellationToken);
    }

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
            heads.ChangedMemberships(session.UserId);
        }
    }

    public async Task<IReadOnlyList<string>> JoinedRoomsAsync(Session session, CancellationToken cancellationToken) =>
        [.. (await rooms.GetMembershipsAsync(session.UserId, cancellationToken)).Where(m => m.Membership == Memberships.Join).Select(m => m.RoomId)];

    private async Task SetOthersMembershipAsync(Session session, string roomId, string userId, string membership, string? reason, CancellationToken cancellationToken)
    {
        RequireUserId(userId);
        await SendMemberAsync(roomId, session.UserId, userId, WithReason(new JsonObject { ["membership"] = membership }, reason), cancellationToken);
    }

    /// <summary>
    /// Other servers that may be in a room this server has left or never joined: those asked for, the server that
    /// invited the user, the server named in the room's ID.
    /// </summary>
    private async Task<IReadOnlyList<string>> RemoteServersAsync(RoomSummary room, string userId, IReadOnlyList<string> via, CancellationToken cancellationToken)
    {
        var candidates = new List<string>(via);
        var membership = (await rooms.GetMembershipsAsync(userId, cancellationToken)).FirstOrDefault(m => m.RoomNid == room.RoomNid);
        if (membership is { Membership: Memberships.Invite } && await rooms.GetEventAsync(membership.EventId, cancellationToken) is { } invite)
        {
            candidates.Add(LiveRoom.ServerOf(invite.Sender));
        }

        candidates.Add(LiveRoom.ServerOf(room.RoomId));
        return [.. candidates.Where(s => s.Length > 0 && s != server.ServerName).Distinct(StringComparer.Ordinal)];
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

        var aliasServer = LiveRoom.ServerOf(roomIdOrAlias);
        if (aliasServer != server.ServerName && await aliases.ResolveRemoteAsync(roomIdOrAlias, aliasServer, cancellationToken) is { } remote)
        {
            return (remote.RoomId, [.. via, .. remote.Servers]);
        }

        throw MatrixException.NotFound("No room has this alias");
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
