using Homeserver.Core.Authentication;
using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Rooms;
using Homeserver.Core.Server;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;
using Homeserver.Protocol.PowerLevels;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.RoomDirectory;

/// <summary>Room aliases (client-server API, "Room aliases") and directory visibility.</summary>
public sealed class RoomAliasService(IRoomAliasStore aliases, IRoomReadStore rooms, RoomAccess access, IFederationClient federation, ServerIdentity server)
{
    public async Task<string?> ResolveLocalAsync(string alias, CancellationToken cancellationToken) =>
        (await aliases.GetAsync(alias, cancellationToken))?.RoomId;

    public async Task CreateLocalAsync(string alias, string roomId, string creator, CancellationToken cancellationToken)
    {
        if (!await aliases.AddAsync(alias, roomId, creator, cancellationToken))
        {
            throw new MatrixException(ErrorCode.Unknown, 409, "The room alias is already taken");
        }
    }

    public async Task<(string RoomId, IReadOnlyList<string> Servers)> ResolveAsync(string alias, CancellationToken cancellationToken)
    {
        var parsed = ParseAlias(alias);
        if (parsed.Server.Value != server.ServerName)
        {
            return await ResolveRemoteAsync(alias, parsed.Server.Value, cancellationToken) ?? throw MatrixException.NotFound("No room has this alias");
        }

        var roomId = await ResolveLocalAsync(alias, cancellationToken) ?? throw MatrixException.NotFound("No room has this alias");
        return (roomId, [server.ServerName]);
    }

    /// <summary>An alias of another server, asked of that server (<c>query/directory</c>); null when it has no such alias.</summary>
    /// <exception cref="MatrixException">The server could not be asked (502).</exception>
    public async Task<(string RoomId, IReadOnlyList<string> Servers)?> ResolveRemoteAsync(string alias, string aliasServer, CancellationToken cancellationToken)
    {
        JsonNode? answer;
        try
        {
            answer = await federation.SendAsync(HttpMethod.Get, aliasServer,
                "/_matrix/federation/v1/query/directory?room_alias=" + Uri.EscapeDataString(alias), null, cancellationToken);
        }
        catch (FederationException e) when (e.StatusCode == 404)
        {
            return null;
        }
        catch (FederationException e)
        {
            throw new MatrixException(ErrorCode.Unknown, 502, $"{aliasServer} could not be asked about the alias: {e.Message}");
        }

        if (answer?["room_id"] is not JsonValue id || !id.TryGetValue<string>(out var roomId) || !RoomId.TryParse(roomId, out _))
        {
            return null;
        }

        var servers = (answer["servers"] as JsonArray ?? []).Select(s => s is JsonValue v && v.TryGetValue<string>(out var name) ? name : null).OfType<string>();
        return (roomId, [aliasServer, .. servers]);
    }

    public async Task PutAsync(Session session, string alias, string roomId, CancellationToken cancellationToken)
    {
        var parsed = ParseAlias(alias);
        if (parsed.Server.Value != server.ServerName)
        {
            throw MatrixException.InvalidParam("Aliases can only be created on this server's domain");
        }

        await access.RequireJoinedAsync(roomId, session.UserId, cancellationToken);
        await CreateLocalAsync(alias, roomId, session.UserId, cancellationToken);
    }

    public async Task DeleteAsync(Session session, string alias, CancellationToken cancellationToken)
    {
        ParseAlias(alias);
        var existing = await aliases.GetAsync(alias, cancellationToken) ?? throw MatrixException.NotFound("No room has this alias");
        if (existing.Creator != session.UserId && !session.IsAdmin && !await CanChangeCanonicalAliasAsync(existing.RoomId, session.UserId, cancellationToken))
        {
            throw MatrixException.Forbidden("Only the alias's creator or a room moderator may remove it");
        }

        await aliases.RemoveAsync(alias, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> GetAliasesAsync(Session session, string roomId, CancellationToken cancellationToken)
    {
        var room = await access.RequireRoomAsync(roomId, cancellationToken);
        if (await access.MembershipAsync(room, session.UserId, cancellationToken) != Memberships.Join && !await access.IsWorldReadableAsync(room, cancellationToken))
        {
            throw MatrixException.Forbidden("You are not in the room");
        }

        return await aliases.GetAliasesAsync(roomId, cancellationToken);
    }

    public Task SetVisibilityAsync(string roomId, bool isPublic, CancellationToken cancellationToken) =>
        aliases.SetPublicAsync(roomId, isPublic, cancellationToken);

    private async Task<bool> CanChangeCanonicalAliasAsync(string roomId, string userId, CancellationToken cancellationToken) =>
        await rooms.GetRoomAsync(roomId, cancellationToken) is { } room && await access.CanSendStateAsync(room, userId, EventTypes.CanonicalAlias, cancellationToken);

    private static RoomAlias ParseAlias(string alias) =>
        RoomAlias.TryParse(alias, out var parsed) ? parsed : throw MatrixException.InvalidParam("Not a valid room alias");
}
