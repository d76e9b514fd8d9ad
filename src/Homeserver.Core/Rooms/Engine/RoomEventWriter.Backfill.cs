using Homeserver.Core.Errors;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>The writer's side of backfill: history from before this server's first event of a room.</summary>
public sealed partial class RoomEventWriter
{
    /// <summary>
    /// The next stream position to hand out below the timeline, counting down. Backfilled events are older than
    /// everything we have, so they take negative positions (as Synapse does): <c>/messages</c> orders a room by
    /// stream position and its tokens stay valid, while <c>/sync</c>, which reads forwards from its token, never sees
    /// them as new. Each backfill is older than the one before it, so counting down keeps the topological order.
    /// </summary>
    private long? _lowestStreamOrdering;

    /// <summary>
    /// Places history fetched from another server (format, hashes and signatures already checked) below the oldest
    /// event of the room's timeline. Each event must be allowed by its auth events (server-server API, "Checks
    /// performed on receipt of a PDU", steps 4 and 5); the state before it is not known here, so step 6 is not
    /// done. Backfilled events change neither the current state nor the forward extremities, wake no
    /// <c>/sync</c> and are not sent to other servers. Events already stored (even as outliers) are left as they are.
    /// </summary>
    public Task<WriteResult> BackfillAsync(RemoteEvents history, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteRequest([], null) { Backfill = history }, cancellationToken);

    private async Task<WriteResult> BackfillAsync(BatchWork work, RemoteEvents history, Dictionary<string, KnownEvent> known)
    {
        var room = await GetRoomAsync(history.RoomId) ?? throw MatrixException.NotFound("Unknown room");
        _lowestStreamOrdering ??= Math.Min(0, await _store.LoadLowestStreamOrderingAsync(CancellationToken.None) ?? 0);
        var accepted = new List<string>();
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        // Auth events come before the events they authorise, so the oldest are checked first; positions are given
        // newest first, counting down, so that the oldest gets the lowest.
        var checkedEvents = new List<(Pdu Pdu, List<ParsedEvent> Auth)>();
        foreach (var pdu in history.Events.Where(p => p.RoomId == room.RoomId).DistinctBy(p => p.EventId).OrderBy(p => p.Depth))
        {
            if (Lookup(work, known, room, pdu.EventId) is not null)
            {
                continue;
            }

            if (AuthorizeByAuthEvents(work, known, room, pdu) is var (auth, reason) && reason is not null)
            {
                refused[pdu.EventId] = reason;
                continue;
            }

            checkedEvents.Add((pdu, auth!));
            // Later events of the batch may cite this one among their auth events.
            work.Parsed[pdu.EventId] = new ParsedEvent(work.NextEventNid(), pdu, pdu.StateKeyPair is { } key ? StateKeyNid(work, key) : null, IsOutlier: false);
        }

        foreach (var (pdu, auth) in checkedEvents.OrderByDescending(c => c.Pdu.Depth).ThenByDescending(c => c.Pdu.EventId, StringComparer.Ordinal))
        {
            var parsed = work.Parsed[pdu.EventId];
            work.Add(new NewEvent
            {
                EventNid = parsed.EventNid,
                RoomNid = room.RoomNid,
                EventId = pdu.EventId,
                Type = pdu.Type,
                StateKey = pdu.StateKey,
                StateKeyNid = parsed.StateKeyNid,
                Sender = pdu.Sender,
                Depth = pdu.Depth,
                OriginServerTs = pdu.OriginServerTs,
                StreamOrdering = --_lowestStreamOrdering,
                SnapshotNidBefore = null,
                Json = StoredJson(pdu),
                PrevEventNids = [.. pdu.PrevEvents.Select(id => Lookup(work, known, room, id)).OfType<ParsedEvent>().Select(p => p.EventNid)],
                AuthEventNids = [.. auth.Select(a => a.EventNid)],
            });
            accepted.Add(pdu.EventId);
        }

        return new WriteResult(room.RoomId, accepted) { Refused = refused };
    }

    private static (List<ParsedEvent>? Auth, string? Reason) AuthorizeByAuthEvents(BatchWork work, Dictionary<string, KnownEvent> known, LiveRoom room, Pdu pdu)
    {
        var authEvents = new List<ParsedEvent>(pdu.AuthEvents.Count);
        foreach (var id in pdu.AuthEvents)
        {
            if (Lookup(work, known, room, id) is not { } auth)
            {
                return (null, $"auth event {id} is not known");
            }

            authEvents.Add(auth);
        }

        var authCheck = AuthEventsValidator.Validate(room.Rules, pdu, [.. authEvents.Select(a => a.Pdu)]);
        if (!authCheck.IsAllowed)
        {
            return (null, $"bad auth events: {authCheck.Reason}");
        }

        var byKey = authEvents.Where(a => a.Pdu.StateKeyPair is not null).ToDictionary(a => a.Pdu.StateKeyPair!.Value, a => a.Pdu);
        var create = room.Get(new StateKey(EventTypes.Create, ""));
        var verdict = EventAuthorizer.Authorize(room.Rules, pdu, k => byKey.GetValueOrDefault(k) ?? (k.Type == EventTypes.Create ? create : null));
        return verdict.IsAllowed ? (authEvents, null) : (null, $"not allowed by its auth events: {verdict.Reason}");
    }
}
