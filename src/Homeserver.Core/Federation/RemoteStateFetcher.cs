using System.Text.Json.Nodes;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Microsoft.Extensions.Logging;

namespace Homeserver.Core.Federation;

/// <summary>
/// The state before an event whose ancestry could not be fetched (server-server API, "Checks performed on receipt
/// of a PDU": the state is asked of the remote server): its IDs with <c>/state_ids</c>, the events not stored here
/// with <c>/event</c>, or with one <c>/state</c> when many are missing. Every fetched event is checked like a received
/// PDU, and must be the event its ID names; what fails is left out. An answer that is unusable or too large gives no
/// state, never an error: the remote server is untrusted.
/// </summary>
public sealed partial class RemoteStateFetcher(IFederationClient federation, PduVerifier verifier, IFederationEventStore events, ILogger<RemoteStateFetcher> logger)
{
    /// <summary>The most state and auth chain events taken from one answer; a room's state rarely comes near it.</summary>
    public const int MaxEvents = 20_000;

    /// <summary>Up to this many missing events are asked one by one; more, and the whole state is asked at once.</summary>
    private const int MaxSingleFetches = 50;

    private const int ConcurrentFetches = 8;

    /// <summary>The state before <paramref name="eventId"/> as <paramref name="origin"/> sees it; null when it gave none that can be used.</summary>
    public async Task<FetchedState?> FetchStateBeforeAsync(string origin, RoomSummary room, RoomVersionRules rules, string eventId, CancellationToken cancellationToken)
    {
        var query = $"{Uri.EscapeDataString(room.RoomId)}?event_id={Uri.EscapeDataString(eventId)}";
        try
        {
            var ids = await federation.SendAsync(HttpMethod.Get, origin, $"/_matrix/federation/v1/state_ids/{query}", null, cancellationToken);
            if (Strings(ids?["pdu_ids"]) is not { } stateIds || Strings(ids?["auth_chain_ids"]) is not { } chainIds)
            {
                LogStateNotFetched(room.RoomId, eventId, origin, "state_ids answered without pdu_ids and auth_chain_ids");
                return null;
            }

            if (stateIds.Count + chainIds.Count > MaxEvents)
            {
                LogStateNotFetched(room.RoomId, eventId, origin, $"state_ids answered more than {MaxEvents} events");
                return null;
            }

            var all = stateIds.Concat(chainIds).Distinct(StringComparer.Ordinal).ToList();
            var stored = await events.FindEventNidsAsync(room.RoomNid, all, cancellationToken);
            var wanted = all.Where(id => !stored.ContainsKey(id)).ToHashSet(StringComparer.Ordinal);
            var fetched = wanted.Count == 0 ? []
                : wanted.Count <= MaxSingleFetches ? await FetchEachAsync(origin, room, rules, wanted, cancellationToken)
                : await FetchWholeStateAsync(origin, room, rules, query, wanted, cancellationToken);
            return new FetchedState([.. stateIds.Distinct(StringComparer.Ordinal)], fetched);
        }
        catch (FederationException e)
        {
            LogStateNotFetched(room.RoomId, eventId, origin, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The auth chain of <paramref name="eventId"/> as <paramref name="origin"/> has it (<c>/event_auth</c>), each
    /// event checked like a received PDU; empty when it gave none that can be used.
    /// </summary>
    public async Task<IReadOnlyList<Pdu>> FetchAuthChainAsync(string origin, RoomSummary room, RoomVersionRules rules, string eventId, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await federation.SendAsync(HttpMethod.Get, origin,
                $"/_matrix/federation/v1/event_auth/{Uri.EscapeDataString(room.RoomId)}/{Uri.EscapeDataString(eventId)}", null, cancellationToken);
            if (answer?["auth_chain"] is not JsonArray { Count: <= MaxEvents } chain)
            {
                LogEventNotFetched(eventId, origin, $"event_auth answered no auth_chain of at most {MaxEvents} events");
                return [];
            }

            var verified = await verifier.VerifyAsync([.. chain.Select(e => e?.DeepClone())], rules, cancellationToken);
            return [.. verified.Select(v => v.Pdu).OfType<Pdu>().Where(p => p.IsOfRoom(room.RoomId)).DistinctBy(p => p.EventId)];
        }
        catch (FederationException e)
        {
            LogEventNotFetched(eventId, origin, e.Message);
            return [];
        }
    }

    private async Task<IReadOnlyList<Pdu>> FetchEachAsync(string origin, RoomSummary room, RoomVersionRules rules, HashSet<string> wanted, CancellationToken cancellationToken)
    {
        var ids = wanted.ToList();
        var answered = new JsonNode?[ids.Count];
        // A few at a time rather than one after another: each is a round trip to a server that may be far away.
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = ConcurrentFetches, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    var answer = await federation.SendAsync(HttpMethod.Get, origin, $"/_matrix/federation/v1/event/{Uri.EscapeDataString(ids[i])}", null, ct);
                    answered[i] = answer?["pdus"] is JsonArray { Count: > 0 } pdus ? pdus[0]?.DeepClone() : null;
                }
                catch (FederationException e)
                {
                    // One event the origin cannot give is left out; the auth rules decide whether the rest still stands.
                    LogEventNotFetched(ids[i], origin, e.Message);
                }
            });
        var asked = ids.Where((_, i) => answered[i] is not null).ToList();
        var answers = answered.Where(a => a is not null).ToList();
        var verified = await verifier.VerifyAsync(answers, rules, cancellationToken);
        return [.. verified.Zip(asked).Where(v => v.First.Pdu is { } p && p.EventId == v.Second && p.IsOfRoom(room.RoomId)).Select(v => v.First.Pdu!)];
    }

    private async Task<IReadOnlyList<Pdu>> FetchWholeStateAsync(string origin, RoomSummary room, RoomVersionRules rules, string query, HashSet<string> wanted,
        CancellationToken cancellationToken)
    {
        var answer = await federation.SendAsync(HttpMethod.Get, origin, $"/_matrix/federation/v1/state/{query}", null, cancellationToken);
        var pdus = answer?["pdus"] as JsonArray ?? [];
        var chain = answer?["auth_chain"] as JsonArray ?? [];
        if (pdus.Count + chain.Count > MaxEvents)
        {
            throw new FederationException(origin, null, null, $"state answered more than {MaxEvents} events");
        }

        var verified = await verifier.VerifyAsync([.. pdus, .. chain], rules, cancellationToken);
        // Only what state_ids named: anything else in the answer is not part of the state asked for.
        return [.. verified.Select(v => v.Pdu).OfType<Pdu>().Where(p => wanted.Contains(p.EventId) && p.IsOfRoom(room.RoomId)).DistinctBy(p => p.EventId)];
    }


    private static List<string>? Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(v => v is JsonValue s && s.TryGetValue<string>(out var text) ? text : null).OfType<string>()] : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not get from {Origin} the state before {EventId} in {RoomId}: {Reason}")]
    private partial void LogStateNotFetched(string roomId, string eventId, string origin, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not get {EventId} from {Origin}: {Reason}")]
    private partial void LogEventNotFetched(string eventId, string origin, string reason);
}
