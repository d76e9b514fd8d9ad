using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Keys;
using Homeserver.Core.Presence;
using Homeserver.Core.Receipts;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Rooms.Typing;
using Homeserver.Core.ToDevice;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Microsoft.Extensions.Logging;

namespace Homeserver.Core.Federation;

/// <summary>
/// Inbound transactions (server-server API, "Transactions", <c>PUT /send/{txnId}</c>): every PDU through the checks
/// on receipt, grouped per room into the engine, with a result per PDU; the EDUs applied. Receiving a transaction
/// twice is harmless: stored events count as accepted again and the EDUs set what they already set.
/// </summary>
public sealed partial class TransactionReceiver(
    IRoomReadStore rooms, IFederationEventStore events, IFederationClient federation, PduVerifier verifier, RemoteStateFetcher stateFetcher, RoomEventWriter writer,
    TypingTracker typing,
    ReceiptService receipts, ToDeviceService toDevice, DeviceListUpdates deviceLists, PresenceService presence, ServerAclGuard acl, ILogger<TransactionReceiver> logger)
{
    public const int MaxPdus = 50;
    public const int MaxEdus = 100;

    /// <summary>How many missing events one transaction may fetch to close a gap; past them the state is fetched instead.</summary>
    private const int MaxMissingEvents = 20;

    /// <summary>How many events of one room's PDUs may have their state fetched, each costing a <c>/state_ids</c> and more.</summary>
    private const int MaxStateFetches = 3;

    /// <summary>How many events of one room's PDUs may have their auth chain fetched, each costing an <c>/event_auth</c>.</summary>
    private const int MaxAuthFetches = 10;
    private static readonly TimeSpan RemoteTypingTimeout = TimeSpan.FromSeconds(30);

    /// <exception cref="MatrixException">The transaction is malformed (400).</exception>
    public async Task<JsonObject> ReceiveAsync(string origin, JsonObject transaction, CancellationToken cancellationToken)
    {
        var pdus = transaction["pdus"] as JsonArray ?? throw MatrixException.BadJson("pdus must be an array");
        var edus = transaction["edus"] switch
        {
            null => [],
            JsonArray array => array,
            _ => throw MatrixException.BadJson("edus must be an array"),
        };
        if (pdus.Count > MaxPdus || edus.Count > MaxEdus)
        {
            throw MatrixException.BadJson($"A transaction holds at most {MaxPdus} PDUs and {MaxEdus} EDUs");
        }

        var results = new JsonObject();
        foreach (var group in pdus.GroupBy(p => p?["room_id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : ""))
        {
            await ReceiveRoomAsync(origin, group.Key, [.. group], results, cancellationToken);
        }

        foreach (var edu in edus.OfType<JsonObject>())
        {
            await ApplyEduAsync(origin, edu, cancellationToken);
        }

        return new JsonObject { ["pdus"] = results };
    }

    private async Task ReceiveRoomAsync(string origin, string roomId, IReadOnlyList<JsonNode?> pdus, JsonObject results, CancellationToken cancellationToken)
    {
        // Events of a room we are not in cannot be checked against any state; a PDU without a usable event ID
        // cannot be answered for either.
        if (await rooms.GetRoomAsync(roomId, cancellationToken) is not { } room || !RoomVersions.TryGet(room.RoomVersion, out var rules))
        {
            foreach (var id in pdus.Select(e => e?["event_id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null).OfType<string>())
            {
                results[id] = Error("the room is not known here");
            }

            return;
        }

        if (await acl.IsDeniedAsync(room, origin, cancellationToken))
        {
            foreach (var id in pdus.Select(e => e is JsonObject json ? EventIdOrNull(json, rules) : null).OfType<string>())
            {
                results[id] = Error("the sending server is denied by the room's server ACL");
            }

            return;
        }

        var received = await verifier.VerifyAsync(pdus, rules, cancellationToken);
        foreach (var failed in received.Where(r => r.Pdu is null && r.EventId is not null))
        {
            results[failed.EventId!] = Error(failed.Error!);
        }

        var good = received.Where(r => r.Pdu is not null).Select(r => r.Pdu!).ToList();
        if (good.Count == 0)
        {
            return;
        }

        // One read serves both checks for a gap; it is repeated only when missing events were fetched.
        var stored = await StoredAsync(room, good, cancellationToken);
        var missing = await FetchMissingAsync(origin, room, rules, good, stored, cancellationToken);
        List<Pdu> batch = [.. missing, .. good];
        if (missing.Count > 0)
        {
            stored = await StoredAsync(room, batch, cancellationToken);
        }

        var states = await FetchStatesAtGapsAsync(origin, room, rules, batch, stored, cancellationToken);
        var authChain = await FetchMissingAuthAsync(origin, room, rules, batch, stored, states, cancellationToken);
        var outcome = await writer.AcceptAsync(new RemoteEvents(roomId, batch, ForwardExcept: null, states, authChain), cancellationToken);
        var answered = good.Select(p => p.EventId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in outcome.EventIds.Where(answered.Contains))
        {
            results[id] = new JsonObject();
        }

        foreach (var (id, reason) in outcome.Refused.Where(r => answered.Contains(r.Key)))
        {
            results[id] = Error(reason);
        }
    }

    /// <summary>
    /// Closing a gap (server-server API, "get_missing_events"): when PDUs cite prev events we do not have, the
    /// sending server is asked for the events between our forward extremities and them, at most
    /// <see cref="MaxMissingEvents"/>; they go through the same checks as the PDUs themselves.
    /// </summary>
    private async Task<IReadOnlyList<Pdu>> FetchMissingAsync(string origin, RoomSummary room, RoomVersionRules rules, IReadOnlyList<Pdu> pdus,
        IReadOnlyDictionary<string, bool> stored, CancellationToken cancellationToken)
    {
        var inBatch = pdus.Select(p => p.EventId).ToHashSet(StringComparer.Ordinal);
        // An event held only as an outlier (the state received at a join) is no place in the DAG to build on.
        var latest = pdus.Where(p => p.PrevEvents.Any(id => !inBatch.Contains(id) && !stored.GetValueOrDefault(id))).Select(p => (JsonNode)p.EventId).ToList();
        if (latest.Count == 0)
        {
            return [];
        }

        var earliest = await events.GetForwardExtremitiesAsync(room.RoomNid, cancellationToken);
        var request = new JsonObject
        {
            ["earliest_events"] = new JsonArray([.. earliest.Select(id => (JsonNode)id)]),
            ["latest_events"] = new JsonArray([.. latest]),
            ["limit"] = MaxMissingEvents,
            ["min_depth"] = 0,
        };
        JsonNode? answer;
        try
        {
            answer = await federation.SendAsync(HttpMethod.Post, origin, $"/_matrix/federation/v1/get_missing_events/{Uri.EscapeDataString(room.RoomId)}", request, cancellationToken);
        }
        catch (FederationException e)
        {
            LogGapNotClosed(room.RoomId, origin, e.Message);
            return [];
        }

        var fetched = (answer?["events"] as JsonArray ?? []).Take(MaxMissingEvents).ToList();
        var verified = await verifier.VerifyAsync(fetched, rules, cancellationToken);
        return [.. verified.Select(r => r.Pdu).OfType<Pdu>().Where(p => p.RoomId == room.RoomId && !inBatch.Contains(p.EventId))];
    }

    /// <summary>
    /// When the missing events do not close the gap (they too cite prev events we neither have nor fetched), the
    /// state before the oldest events of the batch that do is asked of the sending server (server-server API,
    /// "Checks performed on receipt of a PDU", step 6); the engine resolves it with the state it has, as for a fork.
    /// </summary>
    private async Task<Dictionary<string, FetchedState>?> FetchStatesAtGapsAsync(string origin, RoomSummary room, RoomVersionRules rules, IReadOnlyList<Pdu> batch,
        IReadOnlyDictionary<string, bool> stored, CancellationToken cancellationToken)
    {
        var inBatch = batch.Select(p => p.EventId).ToHashSet(StringComparer.Ordinal);
        // The engine places the batch's new events; one stored already as an outlier stays one, so what cites it
        // needs the state as much as what cites an event never seen.
        bool WillBePlaced(string id) => stored.TryGetValue(id, out var placed) ? placed : inBatch.Contains(id);
        var edges = batch.Where(p => !stored.ContainsKey(p.EventId) && p.PrevEvents.Any(id => !WillBePlaced(id)))
            .OrderBy(p => p.Depth).Take(MaxStateFetches).ToList();
        if (edges.Count == 0)
        {
            return null;
        }

        var states = new Dictionary<string, FetchedState>(StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            if (await stateFetcher.FetchStateBeforeAsync(origin, room, rules, edge.EventId, cancellationToken) is { } state)
            {
                states[edge.EventId] = state;
            }
        }

        return states;
    }

    /// <summary>
    /// Auth events that PDUs cite and this server has never seen (server-server API, "Checks performed on receipt of
    /// a PDU": the server may fetch them): the auth chains of the oldest such PDUs, at most
    /// <see cref="MaxAuthFetches"/>, are asked of the sending server with <c>/event_auth</c>. Without them the PDUs
    /// would be refused for auth events that are not known.
    /// </summary>
    private async Task<IReadOnlyList<Pdu>?> FetchMissingAuthAsync(string origin, RoomSummary room, RoomVersionRules rules, IReadOnlyList<Pdu> batch,
        IReadOnlyDictionary<string, bool> stored, IReadOnlyDictionary<string, FetchedState>? states, CancellationToken cancellationToken)
    {
        var known = batch.Select(p => p.EventId).Concat(stored.Keys).Concat(states?.Values.SelectMany(s => s.Fetched.Select(p => p.EventId)) ?? [])
            .ToHashSet(StringComparer.Ordinal);
        var chain = new List<Pdu>();
        // One at a time, oldest first: a chain fetched for one PDU often holds what the next lacks (in a room joined
        // with partial state, PDUs of one sender all lack the same member event).
        for (var fetches = 0; fetches < MaxAuthFetches; fetches++)
        {
            if (batch.Where(p => p.AuthEvents.Any(id => !known.Contains(id))).MinBy(p => p.Depth) is not { } lacking)
            {
                break;
            }

            var fetched = await stateFetcher.FetchAuthChainAsync(origin, room, rules, lacking.EventId, cancellationToken);
            chain.AddRange(fetched);
            // What the chain did not provide is not asked again.
            known.UnionWith(lacking.AuthEvents);
            known.UnionWith(fetched.Select(p => p.EventId));
        }

        return chain.Count == 0 ? null : chain;
    }

    /// <summary>
    /// Which of the PDUs and the prev and auth events they cite outside themselves the room holds, and whether each
    /// is placed in its DAG; empty, without a read, when they cite nothing outside themselves.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, bool>> StoredAsync(RoomSummary room, IReadOnlyList<Pdu> pdus, CancellationToken cancellationToken)
    {
        var ids = pdus.Select(p => p.EventId).ToHashSet(StringComparer.Ordinal);
        var outside = pdus.SelectMany(p => p.PrevEvents.Concat(p.AuthEvents)).Where(id => !ids.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        return outside.Count == 0
            ? new Dictionary<string, bool>(StringComparer.Ordinal)
            : await events.FindStoredEventsAsync(room.RoomNid, [.. outside, .. ids], cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not ask {Origin} for the events missing in {RoomId}: {Reason}")]
    private partial void LogGapNotClosed(string roomId, string origin, string reason);

    private async Task ApplyEduAsync(string origin, JsonObject edu, CancellationToken cancellationToken)
    {
        if (edu["edu_type"] is not JsonValue type || !type.TryGetValue<string>(out var eduType) || edu["content"] is not JsonObject content)
        {
            return;
        }

        switch (eduType)
        {
            case "m.typing":
                await ApplyTypingAsync(origin, content, cancellationToken);
                break;
            case "m.receipt":
                await receipts.ReceiveAsync(origin, content, cancellationToken);
                break;
            case ToDeviceService.DirectToDevice:
                await toDevice.ReceiveAsync(origin, content, cancellationToken);
                break;
            case PresenceService.PresenceEdu:
                await presence.ReceiveAsync(origin, content, cancellationToken);
                break;
            case DeviceListUpdates.DeviceListUpdate or DeviceListUpdates.SigningKeyUpdate:
                await deviceLists.ReceiveAsync(origin, eduType, content, cancellationToken);
                break;
        }
    }

    private async Task ApplyTypingAsync(string origin, JsonObject content, CancellationToken cancellationToken)
    {
        if (content["room_id"] is JsonValue r && r.TryGetValue<string>(out var roomId)
            && content["user_id"] is JsonValue u && u.TryGetValue<string>(out var userId)
            && content["typing"] is JsonValue t && t.TryGetValue<bool>(out var isTyping)
            // A server speaks only for its own users, and only in rooms they are in.
            && LiveRoom.ServerOf(userId) == origin
            && await rooms.GetRoomAsync(roomId, cancellationToken) is { } room
            && !await acl.IsDeniedAsync(room, origin, cancellationToken)
            && await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.Member, userId, cancellationToken) is { } member
            && RoomAccess.ContentString(member, "membership") == "join")
        {
            typing.Set(roomId, userId, isTyping, RemoteTypingTimeout);
        }
    }

    private static string? EventIdOrNull(JsonObject json, RoomVersionRules rules)
    {
        try
        {
            return EventIds.Compute(json, rules);
        }
        catch (InvalidEventException)
        {
            return null;
        }
    }

    private static JsonObject Error(string reason) => new() { ["error"] = reason };
}
