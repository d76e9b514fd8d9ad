using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Identifiers;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;

namespace Homeserver.Core.Federation;

/// <summary>
/// This server's side of membership in rooms it is not in (server-server API): joining and leaving through a
/// resident server (<c>make_join</c>/<c>send_join</c>, <c>make_leave</c>/<c>send_leave</c>; after a join the state
/// and auth chain it answers are checked and stored), knocking (<c>make_knock</c>/<c>send_knock</c>), inviting a user
/// of another server.
/// </summary>
public sealed class RemoteMembership(IFederationClient federation, PduVerifier verifier, RoomEventWriter writer, ServerIdentity server, SigningKey key, TimeProvider time,
    JoinPolicy policy, PartialStateSignal partialStates)
{
    /// <summary>Of the servers a resident server names as in the room, more are not believed (events go to each).</summary>
    private const int MaxServersInRoom = 10_000;

    private static readonly string VersionQuery = string.Join("&", RoomVersions.All.Keys.Order(StringComparer.Ordinal).Select(v => "ver=" + v));

    /// <summary>Joins through the first of the servers that can do it; the room's ID once joined.</summary>
    /// <exception cref="MatrixException">No server let the user join (the last refusal, or 404 when none answered).</exception>
    public async Task<string> JoinAsync(string roomId, string userId, JsonObject content, IReadOnlyList<string> servers, CancellationToken cancellationToken)
    {
        await ThroughFirstAsync(servers, destination => JoinThroughAsync(destination, roomId, userId, content, cancellationToken), "join");
        return roomId;
    }

    /// <summary>
    /// Leaves (or rejects the invite to) a room this server is not in, through the first of the servers that can do
    /// it (<c>make_leave</c>, <c>send_leave</c>); the leave is recorded as the user's membership.
    /// </summary>
    /// <exception cref="MatrixException">No server could make the leave (the last refusal, or 404 when none answered).</exception>
    public async Task LeaveAsync(string roomId, string userId, JsonObject content, IReadOnlyList<string> servers, CancellationToken cancellationToken)
    {
        await ThroughFirstAsync(servers, async destination =>
        {
            var (leave, rules, _) = await HandshakeAsync(destination, roomId, userId, Memberships.Leave, content, "", "", cancellationToken);
            await writer.RecordOutlierAsync(new OutlierMembership(roomId, rules, leave, null), cancellationToken);
        }, "leave");
    }

    /// <summary>
    /// Knocks on a room this server is not in, through the first of the servers that can do it (<c>make_knock</c>,
    /// <c>send_knock</c>); the knock is recorded as the user's membership, with the stripped state the resident
    /// server answered, which the user's <c>/sync</c> shows.
    /// </summary>
    /// <exception cref="MatrixException">No server took the knock (the last refusal, or 404 when none answered).</exception>
    public async Task KnockAsync(string roomId, string userId, JsonObject content, IReadOnlyList<string> servers, CancellationToken cancellationToken)
    {
        await ThroughFirstAsync(servers, async destination =>
        {
            var (knock, rules, answer) = await HandshakeAsync(destination, roomId, userId, Memberships.Knock, content, "?" + VersionQuery, "", cancellationToken);
            // The user's own member event is the knock itself, which /sync adds to what the resident server shows.
            var stripped = new JsonArray([.. (answer?["knock_room_state"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(e => !((string?)e["type"] == EventTypes.Member && (string?)e["state_key"] == userId))
                .Select(e => e.DeepClone())]);
            await writer.RecordOutlierAsync(new OutlierMembership(roomId, rules, knock, stripped), cancellationToken);
        }, "knock");
    }

    /// <summary>
    /// Inviting a user of another server (<c>invite</c> v2): the invite template signed by us, then countersigned by
    /// the invitee's server, ready to be added to the room.
    /// </summary>
    /// <exception cref="MatrixException">The invitee's server refused (403) or could not be reached (502).</exception>
    public async Task<Pdu> InviteAsync(JsonObject invite, RoomVersionRules rules, JsonArray strippedState, CancellationToken cancellationToken)
    {
        if (rules.EventFormat == EventFormat.V1)
        {
            invite["event_id"] = NewV1EventId();
        }

        var eventId = EventSigner.HashAndSign(invite, rules, server.ServerName, key);
        var target = (string)invite["state_key"]!;
        var destination = LiveRoom.ServerOf(target);
        JsonNode? answer;
        try
        {
            answer = await federation.SendAsync(HttpMethod.Put, destination,
                $"/_matrix/federation/v2/invite/{Uri.EscapeDataString((string)invite["room_id"]!)}/{Uri.EscapeDataString(eventId)}",
                new JsonObject { ["room_version"] = rules.Id, ["event"] = invite.DeepClone(), ["invite_room_state"] = strippedState.DeepClone() },
                cancellationToken);
        }
        catch (FederationException e)
        {
            throw e.StatusCode is 403 or 400 or 404
                ? MatrixException.Forbidden($"{destination} refused the invite: {e.Message}")
                : new MatrixException(ErrorCode.Unknown, 502, $"{destination} could not be reached to invite: {e.Message}");
        }

        var signed = answer?["event"] as JsonObject;
        var checkedInvite = signed is null ? null : (await verifier.VerifyAsync([signed], rules, cancellationToken))[0].Pdu;
        if (checkedInvite is null || checkedInvite.EventId != eventId || signed!["signatures"]?[destination] is null)
        {
            throw new MatrixException(ErrorCode.Unknown, 502, $"{destination} did not answer the invite with the event it signed");
        }

        return checkedInvite;
    }

    private async Task ThroughFirstAsync(IReadOnlyList<string> servers, Func<string, Task> attempt, string what)
    {
        MatrixException? refusal = null;
        foreach (var destination in servers.Distinct(StringComparer.Ordinal).Where(s => s.Length > 0 && s != server.ServerName))
        {
            try
            {
                await attempt(destination);
                return;
            }
            catch (FederationException e)
            {
                refusal = e.StatusCode switch
                {
                    403 => MatrixException.Forbidden($"{destination} refused the {what}: {e.Message}"),
                    400 when e.ErrorCode == ErrorCode.IncompatibleRoomVersion.Value => new MatrixException(ErrorCode.IncompatibleRoomVersion, 400, e.Message),
                    _ => refusal,
                };
            }
        }

        throw refusal ?? MatrixException.NotFound($"No server in the room could be reached to {what} it");
    }

    /// <summary><c>make_{membership}</c> on a resident server, our signature on the template, <c>send_{membership}</c>.</summary>
    private async Task<(Pdu Event, RoomVersionRules Rules, JsonNode? Answer)> HandshakeAsync(
        string destination, string roomId, string userId, string membership, JsonObject content, string versionQuery, string sendQuery, CancellationToken cancellationToken)
    {
        var made = await federation.SendAsync(HttpMethod.Get, destination,
            $"/_matrix/federation/v1/make_{membership}/{Uri.EscapeDataString(roomId)}/{Uri.EscapeDataString(userId)}{versionQuery}", null, cancellationToken);
        if (made?["room_version"] is not JsonValue version || !version.TryGetValue<string>(out var versionId) || !RoomVersions.TryGet(versionId, out var rules)
            || made["event"] is not JsonObject template)
        {
            throw new FederationException(destination, 502, null, $"make_{membership} answered without a usable template");
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
            json["event_id"] = NewV1EventId();
        }

        var eventId = EventSigner.HashAndSign(json, rules, server.ServerName, key);
        // send_knock has only ever had a first version; the others are used in their second.
        var sendVersion = membership == Memberships.Knock ? "v1" : "v2";
        var answer = await federation.SendAsync(HttpMethod.Put, destination,
            $"/_matrix/federation/{sendVersion}/send_{membership}/{Uri.EscapeDataString(roomId)}/{Uri.EscapeDataString(eventId)}{sendQuery}", json, cancellationToken);
        if (answer?["event"] is JsonObject countersigned && EventIds.Compute(countersigned, rules) == eventId)
        {
            json = countersigned;
        }

        return (Pdu.FromJson(json, eventId, rules), rules, answer);
    }

    private string NewV1EventId() => $"${RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 18)}:{server.ServerName}";

    private async Task JoinThroughAsync(string destination, string roomId, string userId, JsonObject content, CancellationToken cancellationToken)
    {
        var (join, rules, joined) = await HandshakeAsync(destination, roomId, userId, Memberships.Join, content, "?" + VersionQuery,
            policy.PartialState ? "?omit_members=true" : "", cancellationToken);
        if (joined?["state"] is not JsonArray state || joined["auth_chain"] is not JsonArray authChain)
        {
            throw new FederationException(destination, 502, null, "send_join answered without state and auth chain");
        }

        // Every event is checked: what fails its signatures or belongs to another room is left out, and the engine
        // leaves out what its auth events do not allow.
        var checkedEvents = await verifier.VerifyAsync([.. state, .. authChain], rules, cancellationToken);
        var statePdus = checkedEvents.Take(state.Count).Select(r => r.Pdu).OfType<Pdu>().Where(p => p.IsOfRoom(roomId)).ToList();
        var chainPdus = checkedEvents.Skip(state.Count).Select(r => r.Pdu).OfType<Pdu>().Where(p => p.IsOfRoom(roomId)).ToList();
        // With the members left out, the state is completed afterwards, asked first of the server joined through.
        IReadOnlyList<string>? partialServers = policy.PartialState && joined["members_omitted"] is JsonValue omitted && omitted.TryGetValue<bool>(out var isOmitted) && isOmitted
            ? [destination, .. (joined["servers_in_room"] as JsonArray ?? []).Take(MaxServersInRoom)
                .Select(s => s is JsonValue v && v.TryGetValue<string>(out var name) && ServerName.TryParse(name, out _) ? name : null).OfType<string>()]
            : null;
        await writer.ImportAsync(new RoomImport(roomId, rules, chainPdus, statePdus, join, partialServers), cancellationToken);
        if (partialServers is not null)
        {
            partialStates.Joined(roomId);
        }
    }
}
