using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;

namespace Homeserver.Core.Federation;

/// <summary>
/// The joining server's side of "Joining rooms" (server-server API): <c>make_join</c> on a resident server, our
/// signature on the template, <c>send_join</c>, then the state and auth chain it answers checked and stored.
/// </summary>
public sealed class RemoteJoiner(IFederationClient federation, PduVerifier verifier, RoomEventWriter writer, ServerIdentity server, SigningKey key, TimeProvider time)
{
    private static readonly string VersionQuery = string.Join("&", RoomVersions.All.Keys.Order(StringComparer.Ordinal).Select(v => "ver=" + v));

    /// <summary>Joins through the first of the servers that can do it; the room's ID once joined.</summary>
    /// <exception cref="MatrixException">No server let the user join (the last refusal, or 404 when none answered).</exception>
    public async Task<string> JoinAsync(string roomId, string userId, JsonObject content, IReadOnlyList<string> servers, CancellationToken cancellationToken)
    {
        MatrixException? refusal = null;
        foreach (var destination in servers.Distinct(StringComparer.Ordinal).Where(s => s.Length > 0 && s != server.ServerName))
        {
            try
            {
                await JoinThroughAsync(destination, roomId, userId, content, cancellationToken);
                return roomId;
            }
            catch (FederationException e)
            {
                refusal = e.StatusCode switch
                {
                    403 => MatrixException.Forbidden($"{destination} refused the join: {e.Message}"),
                    400 when e.ErrorCode == ErrorCode.IncompatibleRoomVersion.Value => new MatrixException(ErrorCode.IncompatibleRoomVersion, 400, e.Message),
                    _ => refusal,
                };
            }
        }

        throw refusal ?? MatrixException.NotFound("No server in the room could be reached to join it");
    }

    /// <summary>A room alias of another server, asked of that server (<c>query/directory</c>); null when it has none.</summary>
    public async Task<(string RoomId, IReadOnlyList<string> Servers)?> ResolveAliasAsync(string alias, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await federation.SendAsync(HttpMethod.Get, LiveRoom.ServerOf(alias),
                "/_matrix/federation/v1/query/directory?room_alias=" + Uri.EscapeDataString(alias), null, cancellationToken);
            if (answer?["room_id"] is not JsonValue id || !id.TryGetValue<string>(out var roomId))
            {
                return null;
            }

            var servers = (answer["servers"] as JsonArray ?? []).Select(s => s is JsonValue v && v.TryGetValue<string>(out var name) ? name : null).OfType<string>();
            return (roomId, [LiveRoom.ServerOf(alias), .. servers]);
        }
        catch (FederationException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    private async Task JoinThroughAsync(string destination, string roomId, string userId, JsonObject content, CancellationToken cancellationToken)
    {
        var made = await federation.SendAsync(HttpMethod.Get, destination,
            $"/_matrix/federation/v1/make_join/{Uri.EscapeDataString(roomId)}/{Uri.EscapeDataString(userId)}?{VersionQuery}", null, cancellationToken);
        if (made?["room_version"] is not JsonValue version || !version.TryGetValue<string>(out var versionId) || !RoomVersions.TryGet(versionId, out var rules)
            || made["event"] is not JsonObject template)
        {
            throw new FederationException(destination, 502, null, "make_join answered without a usable template");
        }

        var json = new JsonObject
        {
            ["type"] = EventTypes.Member,
            ["room_id"] = roomId,
            ["sender"] = userId,
            ["state_key"] = userId,
            ["content"] = content.DeepClone(),
            ["origin_server_ts"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
            ["prev_events"] = template["prev_events"]?.DeepClone(),
            ["auth_events"] = template["auth_events"]?.DeepClone(),
            ["depth"] = template["depth"]?.DeepClone(),
        };
        if (template["content"]?["join_authorised_via_users_server"] is { } authoriser)
        {
            // A restricted join names the resident user whose power lets it in; the resident server signs it too.
            json["content"]!["join_authorised_via_users_server"] = authoriser.DeepClone();
        }

        if (template.ContainsKey("origin"))
        {
            json["origin"] = server.ServerName;
        }

        if (rules.EventFormat == EventFormat.V1)
        {
            json["event_id"] = $"${RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 18)}:{server.ServerName}";
        }

        var eventId = EventSigner.HashAndSign(json, rules, server.ServerName, key);
        var joined = await federation.SendAsync(HttpMethod.Put, destination,
            $"/_matrix/federation/v2/send_join/{Uri.EscapeDataString(roomId)}/{Uri.EscapeDataString(eventId)}", json, cancellationToken);
        if (joined?["state"] is not JsonArray state || joined["auth_chain"] is not JsonArray authChain)
        {
            throw new FederationException(destination, 502, null, "send_join answered without state and auth chain");
        }

        if (joined["event"] is JsonObject countersigned && EventIds.Compute(countersigned, rules) == eventId)
        {
            json = countersigned;
        }

        // Every event is checked: what fails its signatures or belongs to another room is left out, and the engine
        // leaves out what its auth events do not allow.
        var checkedEvents = await verifier.VerifyAsync([.. state, .. authChain], rules, cancellationToken);
        bool Usable(ReceivedPdu r) => r.Pdu is { } p && (p.RoomId == roomId || (p.Type == EventTypes.Create && p.RoomId is null));
        var statePdus = checkedEvents.Take(state.Count).Where(Usable).Select(r => r.Pdu!).ToList();
        var chainPdus = checkedEvents.Skip(state.Count).Where(Usable).Select(r => r.Pdu!).ToList();
        await writer.ImportAsync(new RoomImport(roomId, rules, chainPdus, statePdus, Pdu.FromJson(json, eventId, rules)), cancellationToken);
    }
}
