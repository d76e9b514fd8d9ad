using System.Globalization;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Rooms;
using Homeserver.Core.Server;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.RoomDirectory;

/// <summary>
/// The published room directory (client-server API, "Listing rooms"; server-server API, "Public Room Directory"):
/// which rooms are listed, the pages of that list for local clients and other servers, and other servers' lists
/// asked for by local clients.
/// </summary>
public sealed class PublicRoomsService(IRoomReadStore rooms, IRoomAliasStore aliases, RoomAccess access, IFederationClient federation, ServerIdentity server)
{
    public const string Public = "public";
    public const string Private = "private";

    /// <summary>The largest page served, whatever the limit asked for.</summary>
    private const int MaxLimit = 500;

    private static readonly string[] SearchedFields = ["name", "topic", "canonical_alias"];

    public async Task<string> GetVisibilityAsync(string roomId, CancellationToken cancellationToken) =>
        (await access.RequireRoomAsync(roomId, cancellationToken)).IsPublic ? Public : Private;

    /// <summary>
    /// Lists or unlists a room. Who may: a server administrator, or a member allowed to set the room's canonical
    /// alias (the same rule Synapse applies, since the directory entry shows that alias).
    /// </summary>
    public async Task SetVisibilityAsync(Session session, string roomId, string visibility, CancellationToken cancellationToken)
    {
        if (visibility is not (Public or Private))
        {
            throw MatrixException.InvalidParam("visibility must be 'public' or 'private'");
        }

        var room = await access.RequireRoomAsync(roomId, cancellationToken);
        if (!session.IsAdmin && !await MayPublishAsync(room, session.UserId, cancellationToken))
        {
            throw MatrixException.Forbidden("Only a member who may set the room's canonical alias can change its directory visibility");
        }

        await aliases.SetPublicAsync(roomId, visibility == Public, cancellationToken);
    }

    /// <summary>A page of this server's directory, or of <paramref name="serverName"/>'s when it is another server.</summary>
    /// <exception cref="MatrixException">400 for a malformed server name or token; 502 when the other server fails.</exception>
    public async Task<JsonObject> ListAsync(string? serverName, PublicRoomsQuery query, bool withFilter, CancellationToken cancellationToken)
    {
        if (serverName is null || serverName == server.ServerName)
        {
            return await ListLocalAsync(query, cancellationToken);
        }

        if (!ServerName.TryParse(serverName, out _))
        {
            throw MatrixException.InvalidParam("server is not a server name");
        }

        return await ListRemoteAsync(serverName, query, withFilter, cancellationToken);
    }

    /// <summary>
    /// A page of this server's directory: the published rooms with the most joined members first (ties by room ID),
    /// filtered by the search term in their name, topic and canonical alias. Tokens are offsets into that order.
    /// </summary>
    public async Task<JsonObject> ListLocalAsync(PublicRoomsQuery query, CancellationToken cancellationToken)
    {
        var offset = 0;
        if (query.Since is not null && (!int.TryParse(query.Since, NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            throw MatrixException.InvalidParam("since is not a token of this server's room directory");
        }

        if (query.Limit is < 0)
        {
            throw MatrixException.InvalidParam("limit must not be negative");
        }

        // No third-party networks are bridged here, so a named one lists nothing.
        var entries = query.ThirdPartyInstanceId is not null
            ? []
            : (await rooms.GetRoomListingsAsync(null, RoomChunk.StateTypes, cancellationToken))
                .Select(RoomChunk.From)
                .Where(e => Matches(e, query.SearchTerm) && (query.RoomTypes is null || query.RoomTypes.Contains((string?)e["room_type"])))
                .OrderByDescending(e => (int)e["num_joined_members"]!)
                .ThenBy(e => (string)e["room_id"]!, StringComparer.Ordinal)
                .ToList();
        var limit = Math.Min(query.Limit ?? MaxLimit, MaxLimit);
        var page = entries.Skip(offset).Take(limit).ToList();
        var response = new JsonObject
        {
            ["chunk"] = new JsonArray([.. page]),
            ["total_room_count_estimate"] = entries.Count,
        };
        if (offset + page.Count < entries.Count)
        {
            response["next_batch"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture);
        }

        if (offset > 0)
        {
            response["prev_batch"] = Math.Max(0, offset - limit).ToString(CultureInfo.InvariantCulture);
        }

        return response;
    }

    private async Task<JsonObject> ListRemoteAsync(string serverName, PublicRoomsQuery query, bool withFilter, CancellationToken cancellationToken)
    {
        JsonNode? answer;
        try
        {
            if (withFilter)
            {
                var body = new JsonObject { ["include_all_networks"] = query.IncludeAllNetworks };
                if (query.Limit is { } limit)
                {
                    body["limit"] = limit;
                }

                if (query.Since is not null)
                {
                    body["since"] = query.Since;
                }

                var filter = new JsonObject();
                if (query.SearchTerm is not null)
                {
                    filter["generic_search_term"] = query.SearchTerm;
                }

                if (query.RoomTypes is not null)
                {
                    filter["room_types"] = new JsonArray([.. query.RoomTypes.Select(t => (JsonNode?)t)]);
                }

                if (filter.Count > 0)
                {
                    body["filter"] = filter;
                }

                if (query.ThirdPartyInstanceId is not null)
                {
                    body["third_party_instance_id"] = query.ThirdPartyInstanceId;
                }

                answer = await federation.SendAsync(HttpMethod.Post, serverName, "/_matrix/federation/v1/publicRooms", body, cancellationToken);
            }
            else
            {
                var parameters = new List<string>();
                if (query.Limit is { } limit)
                {
                    parameters.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
                }

                if (query.Since is not null)
                {
                    parameters.Add("since=" + Uri.EscapeDataString(query.Since));
                }

                var path = "/_matrix/federation/v1/publicRooms" + (parameters.Count == 0 ? "" : "?" + string.Join('&', parameters));
                answer = await federation.SendAsync(HttpMethod.Get, serverName, path, null, cancellationToken);
            }
        }
        catch (FederationException e)
        {
            throw new MatrixException(ErrorCode.Unknown, 502, $"{serverName} could not be asked for its room directory: {e.Message}");
        }

        // Passed on as the other server gave it, but only in the shape a client expects.
        if (answer is not JsonObject { } list || list["chunk"] is not JsonArray chunk)
        {
            throw new MatrixException(ErrorCode.Unknown, 502, $"{serverName} answered with something that is not a room directory");
        }

        var response = new JsonObject { ["chunk"] = new JsonArray([.. chunk.OfType<JsonObject>().Where(r => r["room_id"] is JsonValue).Select(r => r.DeepClone())]) };
        foreach (var key in new[] { "next_batch", "prev_batch" })
        {
            if (list[key] is JsonValue token && token.TryGetValue<string>(out var text))
            {
                response[key] = text;
            }
        }

        if (list["total_room_count_estimate"] is JsonValue total && total.TryGetValue<int>(out var estimate))
        {
            response["total_room_count_estimate"] = estimate;
        }

        return response;
    }

    private async Task<bool> MayPublishAsync(RoomSummary room, string userId, CancellationToken cancellationToken) =>
        await access.MembershipAsync(room, userId, cancellationToken) == Memberships.Join
        && await access.CanSendStateAsync(room, userId, EventTypes.CanonicalAlias, cancellationToken);

    private static bool Matches(JsonObject entry, string? searchTerm) =>
        string.IsNullOrWhiteSpace(searchTerm)
        || SearchedFields.Any(k => ((string?)entry[k])?.Contains(searchTerm.Trim(), StringComparison.OrdinalIgnoreCase) == true);
}
