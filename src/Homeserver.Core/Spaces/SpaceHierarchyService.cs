using System.Globalization;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.RoomDirectory;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Core.Sync.Filters;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Spaces;

/// <summary>
/// Space hierarchies (client-server API, "Spaces"; server-server API, "Spaces"): the rooms below a space, depth
/// first, as the user (or the asking server) may see them. Rooms this server is in are described from their current
/// state; the others are asked of the servers their <c>m.space.child</c> event names (<c>/hierarchy</c> over
/// federation), whose answer also describes their children.
/// </summary>
public sealed class SpaceHierarchyService(IRoomReadStore rooms, IFederationClient federation, ServerIdentity server)
{
    public const string SpaceChild = "m.space.child";
    private const int DefaultLimit = 50;
    private const int MaxLimit = 100;
    private const int MaxDepth = 10;

    /// <summary>How many rooms one request walks at most, whatever the page.</summary>
    private const int MaxWalked = 500;

    private const int MaxOrderLength = 50;

    private static readonly string[] ListingTypes = [.. RoomChunk.StateTypes, SpaceChild];

    /// <summary><c>GET /_matrix/client/v1/rooms/{roomId}/hierarchy</c>.</summary>
    /// <exception cref="MatrixException">
    /// 400 for malformed parameters, 403 when the user may not see the space, 404 when no server could describe it.
    /// </exception>
    public async Task<JsonObject> GetAsync(Session session, string roomId, string? suggestedOnly, string? limit, string? maxDepth, string? from, CancellationToken cancellationToken)
    {
        if (!RoomId.TryParse(roomId, out _))
        {
            throw MatrixException.InvalidParam("Not a valid room ID");
        }

        var suggested = QueryValues.Flag(suggestedOnly, "suggested_only");
        var pageSize = Math.Min(ParseInt(limit, "limit", min: 1) ?? DefaultLimit, MaxLimit);
        var depthLimit = Math.Min(ParseInt(maxDepth, "max_depth", min: 0) ?? MaxDepth, MaxDepth);
        var offset = ParseInt(from, "from", min: 0) ?? 0;

        var memberships = (await rooms.GetMembershipsAsync(session.UserId, cancellationToken))
            .ToDictionary(m => m.RoomId, m => m.Membership, StringComparer.Ordinal);
        Task<bool> UserIsIn(string id) => Task.FromResult(memberships.GetValueOrDefault(id) == Memberships.Join);
        Task<bool> UserMayEnter(string id) => Task.FromResult(memberships.GetValueOrDefault(id) is Memberships.Join or Memberships.Invite);

        var learned = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var walked = new List<JsonObject>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(string RoomId, int Depth, IReadOnlyList<string> Via)>();
        pending.Push((roomId, 0, [LiveRoom.ServerOf(roomId)]));
        // One room past the page says whether there is a next one.
        while (pending.Count > 0 && walked.Count <= offset + pageSize && visited.Count < MaxWalked)
        {
            var (id, depth, via) = pending.Pop();
            if (!visited.Add(id))
            {
                continue;
            }

            var local = await LocalChunkAsync(id, UserIsIn, UserMayEnter, cancellationToken);
            if (id == roomId && local is { Accessible: false })
            {
                throw MatrixException.Forbidden("You may not see this space");
            }

            var chunk = local is null ? await RemoteChunkAsync(id, via, suggested, learned, cancellationToken) : local.Value.Accessible ? local.Value.Chunk : null;
            if (chunk is null)
            {
                if (id == roomId)
                {
                    throw MatrixException.NotFound("No server could describe this space");
                }

                continue;
            }

            walked.Add(chunk);
            if (depth < depthLimit)
            {
                foreach (var child in Children(chunk, suggested).Reverse())
                {
                    pending.Push((child.RoomId, depth + 1, child.Via));
                }
            }
        }

        var response = new JsonObject { ["rooms"] = new JsonArray([.. walked.Skip(offset).Take(pageSize)]) };
        if (walked.Count > offset + pageSize)
        {
            response["next_batch"] = (offset + pageSize).ToString(CultureInfo.InvariantCulture);
        }

        return response;
    }

    /// <summary><c>GET /_matrix/federation/v1/hierarchy/{roomId}</c>: a space this server is in and its children, as <paramref name="origin"/> may see them.</summary>
    /// <exception cref="MatrixException">404 when this server is not in the space or the origin may not see it.</exception>
    public async Task<JsonObject> GetForServerAsync(string origin, string roomId, string? suggestedOnly, CancellationToken cancellationToken)
    {
        var suggested = QueryValues.Flag(suggestedOnly, "suggested_only");
        async Task<bool> OriginIsIn(string id) =>
            await rooms.GetRoomAsync(id, cancellationToken) is { } room && await rooms.IsJoinedByServerAsync(room.RoomNid, origin, cancellationToken);

        var space = await LocalChunkAsync(roomId, OriginIsIn, OriginIsIn, cancellationToken);
        if (space is not { Accessible: true, Chunk: var root })
        {
            throw MatrixException.NotFound("This server cannot describe that space to you");
        }

        var children = new JsonArray();
        var inaccessible = new JsonArray();
        foreach (var child in Children(root, suggested))
        {
            switch (await LocalChunkAsync(child.RoomId, OriginIsIn, OriginIsIn, cancellationToken))
            {
                case { Accessible: true } visible:
                    children.Add(visible.Chunk);
                    break;
                case { Accessible: false }:
                    inaccessible.Add(child.RoomId);
                    break;
                default:
                    // Not in the room: another server has to describe it.
                    break;
            }
        }

        return new JsonObject { ["room"] = root, ["children"] = children, ["inaccessible_children"] = inaccessible };
    }

    /// <summary>
    /// The chunk of a room this server is in, and whether who asks may see it: joined or invited, or the room is
    /// world-readable or open to joins or knocks, or restricted to members of a room they are joined to. Null when
    /// this server is not in the room.
    /// </summary>
    private async Task<(JsonObject Chunk, bool Accessible)?> LocalChunkAsync(
        string roomId, Func<string, Task<bool>> isJoinedTo, Func<string, Task<bool>> mayEnter, CancellationToken cancellationToken)
    {
        if (await rooms.GetRoomAsync(roomId, cancellationToken) is not { } room || !await rooms.IsJoinedByServerAsync(room.RoomNid, server.ServerName, cancellationToken))
        {
            return null;
        }

        if (await rooms.GetRoomListingsAsync([roomId], ListingTypes, cancellationToken) is not [var listing, ..])
        {
            return null;
        }

        var chunk = RoomChunk.From(listing);
        chunk["children_state"] = new JsonArray([.. listing.State
            .Where(e => e.Type == SpaceChild && ValidVia(JsonNode.Parse(e.Json)?["content"]?["via"]) is { Count: > 0 })
            .Select(e =>
            {
                var stripped = ClientEventFormat.Stripped(e);
                stripped["origin_server_ts"] = e.OriginServerTs;
                return (JsonNode)stripped;
            })]);
        var joinRules = listing.State.FirstOrDefault(e => e.Type == EventTypes.JoinRules && e.StateKey == "");
        var joinRulesContent = joinRules is null ? null : JsonNode.Parse(joinRules.Json)?["content"];
        var accessible = (bool)chunk["world_readable"]!
            || (string?)chunk["join_rule"] is "public" or "knock" or "knock_restricted"
            || await mayEnter(roomId)
            || ((string?)chunk["join_rule"] is "restricted" && await AllowedThroughAsync(joinRulesContent, isJoinedTo));
        return (chunk, accessible);
    }

    private static async Task<bool> AllowedThroughAsync(JsonNode? joinRules, Func<string, Task<bool>> isJoinedTo)
    {
        foreach (var allow in (joinRules?["allow"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)allow["type"] == "m.room_membership" && allow["room_id"] is JsonValue v && v.TryGetValue<string>(out var allowedRoom) && await isJoinedTo(allowedRoom))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A room this server is not in, from what another server said of it: an earlier answer that listed it as a
    /// child, or <c>/hierarchy</c> on the servers its parent names. Null when none could describe it.
    /// </summary>
    private async Task<JsonObject?> RemoteChunkAsync(string roomId, IReadOnlyList<string> via, bool suggestedOnly, Dictionary<string, JsonObject> learned, CancellationToken cancellationToken)
    {
        if (learned.Remove(roomId, out var known))
        {
            return known;
        }

        foreach (var destination in via.Where(s => s != server.ServerName).Distinct(StringComparer.Ordinal))
        {
            JsonNode? answer;
            try
            {
                answer = await federation.SendAsync(HttpMethod.Get, destination,
                    $"/_matrix/federation/v1/hierarchy/{Uri.EscapeDataString(roomId)}?suggested_only={(suggestedOnly ? "true" : "false")}", null, cancellationToken);
            }
            catch (FederationException)
            {
                continue;
            }

            if (answer?["room"] is not JsonObject room || (string?)room["room_id"] != roomId)
            {
                continue;
            }

            foreach (var child in (answer["children"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (child["room_id"] is JsonValue v && v.TryGetValue<string>(out var childId))
                {
                    learned.TryAdd(childId, Sanitised(child));
                }
            }

            return Sanitised(room);
        }

        return null;
    }

    /// <summary>Another server's chunk, with only well-formed child events kept (they steer the walk).</summary>
    private static JsonObject Sanitised(JsonObject chunk)
    {
        var copy = chunk.DeepClone().AsObject();
        copy["children_state"] = new JsonArray([.. (chunk["children_state"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => (string?)e["type"] == SpaceChild && e["state_key"] is JsonValue k && k.TryGetValue<string>(out var id) && RoomId.TryParse(id, out _))
            .Select(e => e.DeepClone())]);
        return copy;
    }

    /// <summary>
    /// The children a chunk's <c>m.space.child</c> events name, in the spec's order: those with a valid
    /// <c>order</c> first, by it; then by the event's timestamp; then by room ID.
    /// </summary>
    private static IEnumerable<(string RoomId, IReadOnlyList<string> Via)> Children(JsonObject chunk, bool suggestedOnly) =>
        (chunk["children_state"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(e => (Event: e, RoomId: (string?)e["state_key"], Via: ValidVia(e["content"]?["via"])))
            .Where(c => c.RoomId is not null && c.Via is { Count: > 0 } && (!suggestedOnly || IsSuggested(c.Event)))
            .OrderBy(c => Order(c.Event) is null ? 1 : 0)
            .ThenBy(c => Order(c.Event), StringComparer.Ordinal)
            .ThenBy(c => c.Event["origin_server_ts"] is JsonValue ts && ts.TryGetValue<long>(out var t) ? t : 0)
            .ThenBy(c => c.RoomId, StringComparer.Ordinal)
            .Select(c => (c.RoomId!, (IReadOnlyList<string>)c.Via!));

    private static bool IsSuggested(JsonObject e) => e["content"]?["suggested"] is JsonValue s && s.TryGetValue<bool>(out var b) && b;

    private static string? Order(JsonObject e) =>
        e["content"]?["order"] is JsonValue v && v.TryGetValue<string>(out var order) && order.Length <= MaxOrderLength && order.All(c => c is >= '\x20' and <= '\x7E')
            ? order
            : null;

    private static List<string>? ValidVia(JsonNode? via) =>
        via is JsonArray list ? [.. list.Select(s => s is JsonValue v && v.TryGetValue<string>(out var name) && ServerName.TryParse(name, out _) ? name : null).OfType<string>()] : null;

    private static int? ParseInt(string? value, string name, int min) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min ? n
        : throw MatrixException.InvalidParam($"{name} must be an integer of at least {min}");
}
