using System.Text.Json.Nodes;
using Homeserver.Core.Accounts;
using Homeserver.Core.Errors;
using Homeserver.Core.Profile;
using Homeserver.Core.RoomDirectory;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Federation;

/// <summary>Queries other servers make of ours (server-server API, "Querying for information"): room aliases and profiles.</summary>
public sealed class QueryHandler(RoomAliasService aliases, IFederationEventStore events, IProfileStore profiles, IAccountStore accounts, ServerIdentity server)
{
    private static readonly string[] ProfileFields = ["displayname", "avatar_url"];

    /// <exception cref="MatrixException">Not an alias of this server (400/404), or no room has it (404).</exception>
    public async Task<JsonObject> DirectoryAsync(string? alias, CancellationToken cancellationToken)
    {
        if (alias is null)
        {
            throw MatrixException.MissingParam("room_alias is required");
        }

        if (!RoomAlias.TryParse(alias, out _))
        {
            throw MatrixException.InvalidParam("Not a valid room alias");
        }

        if (LiveRoom.ServerOf(alias) != server.ServerName || await aliases.ResolveLocalAsync(alias, cancellationToken) is not { } roomId)
        {
            throw MatrixException.NotFound("No room has this alias here");
        }

        var servers = await events.GetJoinedServersAsync(roomId, cancellationToken);
        return new JsonObject { ["room_id"] = roomId, ["servers"] = new JsonArray([.. servers.Prepend(server.ServerName).Distinct().Select(s => (JsonNode)s)]) };
    }

    /// <exception cref="MatrixException">Not a user of this server (400/404), or an unknown field (400).</exception>
    public async Task<JsonObject> ProfileAsync(string? userId, string? field, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            throw MatrixException.MissingParam("user_id is required");
        }

        if (!UserId.TryParse(userId, out _))
        {
            throw MatrixException.InvalidParam("Not a valid user ID");
        }

        if (field is not null && !ProfileFields.Contains(field))
        {
            throw MatrixException.InvalidParam("field is displayname or avatar_url");
        }

        if (LiveRoom.ServerOf(userId) != server.ServerName || await accounts.GetUserAsync(userId, cancellationToken) is not { IsDeactivated: false })
        {
            throw MatrixException.NotFound("No such user here");
        }

        var profile = await profiles.GetProfileAsync(userId, cancellationToken) ?? [];
        var answer = new JsonObject();
        foreach (var name in field is null ? ProfileFields : [field])
        {
            if (profile[name] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                answer[name] = text;
            }
        }

        return answer;
    }
}
