using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.StateResolution;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>The writer's side of federation: events received from other servers, rooms joined through them, templates.</summary>
public sealed partial class RoomEventWriter
{
    private const int ResolutionAttempts = 4;

    /// <summary>Where the stripped state of an invite to a room this server is not in is kept (the spec's name for it).</summary>
    public const string InviteRoomStateKey = "invite_room_state";

    /// <summary>
    /// Places received events (format, hashes and signatures already checked) in their room's DAG: each is checked
    /// against its auth events and the state before it (rejected otherwise) and against the current state (kept but
    /// hidden, "soft-failed", otherwise). Events already stored count as accepted.
    /// </summary>
    public Task<WriteResult> AcceptAsync(RemoteEvents remote, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteRequest([], null) { Remote = remote }, cancellationToken);

    /// <summary>Stores a room joined through another server: its state and auth chain as outliers, then our join.</summary>
    /// <exception cref="MatrixException">The state has no create event, or does not allow the join.</exception>
    public Task<WriteResult> ImportAsync(RoomImport import, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteRequest([], null) { Import = import }, cancellationToken);

    /// <summary>
    /// Completes the state of a room joined with partial state: the members it lacked are added to every state since
    /// the join (the current one, and the complete snapshots the rest are deltas of), and the room is partial no more.
    /// </summary>
    /// <exception cref="MatrixException">The room's state is not partial (404), or the state has no create event.</exception>
    public Task<WriteResult> CompleteStateAsync(RoomStateCompletion completion, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteRequest([], null) { StateCompletion = completion }, cancellationToken);

    /// <summary>
    /// Records a member event of a room this server is not in as an outlier and as its target's membership. In a
    /// room where this server has joined members the event is placed in the DAG instead, as a received event.
    /// </summary>
    public Task<WriteResult> RecordOutlierAsync(OutlierMembership membership, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteRequest([], null) { Outlier = membership }, cancellationToken);

    /// <summary>An unsigned event at the room's head that the auth rules would allow now (<c>make_join</c> and the like).</summary>
    /// <exception cref="MatrixException">The room is unknown (404) or the event would not be allowed (403).</exception>
    public async Task<JsonObject> TemplateAsync(EventDraft draft, CancellationToken cancellationToken)
    {
        var result = await EnqueueAsync(new WriteRequest([draft], null) { TemplateOnly = true }, cancellationToken);
        return result.Template!;
    }

    private async Task<Dictionary<string, KnownEvent>> PrefetchAsync(List<WriteRequest> requests)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            foreach (var pdu in (request.Remote?.Events ?? []).Concat(request.Backfill?.Events ?? []))
            {
                ids.Add(pdu.EventId);
                ids.UnionWith(pdu.PrevEvents);
                ids.UnionWith(pdu.AuthEvents);
            }

            if (request.Outlier is { } outlier)
            {
                ids.Add(outlier.Event.EventId);
                ids.UnionWith(outlier.Event.AuthEvents);
                ids.UnionWith(outlier.Event.PrevEvents);
            }

            if (request.Import is { } import)
            {
                ids.UnionWith(import.AuthChain.Concat(import.State).Append(import.Join).SelectMany(p => p.PrevEvents.Append(p.EventId)));
            }

            if (request.StateCompletion is { } completion)
            {
                ids.UnionWith(completion.AuthChain.Concat(completion.State).SelectMany(p => p.AuthEvents.Append(p.EventId)));
            }

            foreach (var fetched in request.Remote?.StatesBefore?.Values ?? [])
            {
                ids.UnionWith(fetched.StateIds);
                ids.UnionWith(fetched.Fetched.SelectMany(p => p.AuthEvents.Append(p.EventId)));
            }

            ids.UnionWith((request.Remote?.AuthChain ?? []).SelectMany(p => p.AuthEvents.Append(p.EventId)));
        }

        return ids.Count == 0
            ? new Dictionary<string, KnownEvent>(StringComparer.Ordinal)
            : new Dictionary<string, KnownEvent>(await _store.LoadEventsAsync(ids, CancellationToken.None), StringComparer.Ordinal);
    }

    private async Task<WriteResult> TemplateAsync(EventDraft draft)
    {
        var room = await GetRoomAsync(draft.RoomId!) ?? throw MatrixException.NotFound("Unknown room");
        var (json, _, _) = Complete(room, draft);
        // A restricted join that one of our users authorises will carry our signature, added at send_join; the auth
        // rules only look for it, so the check stands in an empty one.
        var candidate = json;
        if (draft.Content[RestrictedJoins.AuthoriserKey] is JsonValue authoriser && authoriser.TryGetValue<string>(out var user) && LiveRoom.ServerOf(user) == _server.ServerName)
        {
            candidate = json.DeepClone().AsObject();
            candidate["signatures"] = new JsonObject { [_server.ServerName] = new JsonObject() };
        }

        var verdict = EventAuthorizer.Authorize(room.Rules, Pdu.FromJson(candidate, "$template", room.Rules), room.Get);
        if (!verdict.IsAllowed)
        {
            throw MatrixException.Forbidden($"The room's rules refuse this event: {verdict.Reason}");
        }

        return new WriteResult(room.RoomId, []) { Template = json };
    }

    private async Task<WriteResult> AcceptRemoteAsync(BatchWork work, Sync.Streams.StreamWriteLease lease, RemoteEvents remote, Dictionary<string, KnownEvent> known)
    {
        var room = await GetRoomAsync(remote.RoomId) ?? throw MatrixException.NotFound("Unknown room");
        var accepted = new List<string>();
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        if (remote.AuthChain is { Count: > 0 } authChain)
        {
            var inBatch = remote.Events.Select(p => p.EventId).ToHashSet(StringComparer.Ordinal);
            StoreOutliers(work, known, room, authChain.Where(p => !inBatch.Contains(p.EventId)), room.Get(new StateKey(EventTypes.Create, "")));
        }

        var statesBefore = StoreFetchedStates(work, known, room, remote);
        foreach (var pdu in remote.Events.OrderBy(p => p.Depth))
        {
            if (Lookup(work, known, room, pdu.EventId) is not null)
            {
                accepted.Add(pdu.EventId);
                continue;
            }

            if (await AcceptOneAsync(work, lease, room, pdu, known, remote.ForwardExcept, statesBefore.GetValueOrDefault(pdu.EventId)) is { } reason)
            {
                refused[pdu.EventId] = reason;
            }
            else
            {
                accepted.Add(pdu.EventId);
            }
        }

        return new WriteResult(room.RoomId, accepted) { Refused = refused };
    }

    /// <summary>
    /// The fetched states of a batch, their events stored as outliers first (as the state of a joined room is); a
    /// state without a create event that its auth events allow is no state at all. The batch's own events are not
    /// made outliers: they are to take their place in the DAG, after the states are built, so none is in one unless
    /// stored before.
    /// </summary>
    private Dictionary<string, ImmutableDictionary<StateKey, StateEntry>> StoreFetchedStates(BatchWork work, Dictionary<string, KnownEvent> known, LiveRoom room, RemoteEvents remote)
    {
        var states = new Dictionary<string, ImmutableDictionary<StateKey, StateEntry>>(StringComparer.Ordinal);
        if (remote.StatesBefore is not { Count: > 0 } fetchedStates)
        {
            return states;
        }

        var inBatch = remote.Events.Select(p => p.EventId).ToHashSet(StringComparer.Ordinal);
        var create = room.Get(new StateKey(EventTypes.Create, ""));
        foreach (var (eventId, fetched) in fetchedStates)
        {
            StoreOutliers(work, known, room, fetched.Fetched.Where(p => !inBatch.Contains(p.EventId)), create);
            var state = StateOf(work, known, room, fetched.StateIds);
            if (state.ContainsKey(new StateKey(EventTypes.Create, "")))
            {
                states[eventId] = state;
            }
        }

        return states;
    }

    /// <summary>The checks of server-server API "Checks performed on receipt of a PDU", steps 4 to 6; null when accepted.</summary>
    /// <param name="fetchedBefore">The state fetched from another server for an event whose prev events are missing: it stands for theirs.</param>
    private async Task<string?> AcceptOneAsync(BatchWork work, Sync.Streams.StreamWriteLease lease, LiveRoom room, Pdu pdu, Dictionary<string, KnownEvent> known, string? forwardExcept,
        ImmutableDictionary<StateKey, StateEntry>? fetchedBefore)
    {
        var rules = room.Rules;
        if (pdu.RoomId != room.RoomId)
        {
            return "the event belongs to another room";
        }

        var authEvents = new List<ParsedEvent>(pdu.AuthEvents.Count);
        foreach (var id in pdu.AuthEvents)
        {
            if (Lookup(work, known, room, id) is not { } auth)
            {
                return $"auth event {id} is not known";
            }

            authEvents.Add(auth);
        }

        var authCheck = AuthEventsValidator.Validate(rules, pdu, [.. authEvents.Select(a => a.Pdu)]);
        if (!authCheck.IsAllowed)
        {
            return $"bad auth events: {authCheck.Reason}";
        }

        var byKey = authEvents.Where(a => a.Pdu.StateKeyPair is not null).ToDictionary(a => a.Pdu.StateKeyPair!.Value, a => a.Pdu);
        // From room version 12 the create event is not cited but always applies; it never changes.
        var create = room.Get(new StateKey(EventTypes.Create, ""));
        var verdict = EventAuthorizer.Authorize(rules, pdu, k => byKey.GetValueOrDefault(k) ?? (k.Type == EventTypes.Create ? create : null));
        if (!verdict.IsAllowed)
        {
            return $"not allowed by its auth events: {verdict.Reason}";
        }

        var prevs = new List<ParsedEvent>(pdu.PrevEvents.Count);
        var prevStates = new List<ImmutableDictionary<StateKey, StateEntry>>(pdu.PrevEvents.Count);
        var missingPrevs = false;
        foreach (var id in pdu.PrevEvents)
        {
            if (Lookup(work, known, room, id) is not { IsOutlier: false } prev || await StateAfterAsync(room, known, prev) is not { } state)
            {
                if (fetchedBefore is null)
                {
                    return $"prev event {id} is not known";
                }

                missingPrevs = true;
                continue;
            }

            prevs.Add(prev);
            prevStates.Add(state);
        }

        if (missingPrevs)
        {
            // The sender's view of the state the missing prev events lead to, resolved below with those we have.
            prevStates.Add(fetchedBefore!);
        }

        if (prevStates.Count == 0)
        {
            return "the event has no prev events";
        }

        var stateBefore = prevStates.Skip(1).All(s => ReferenceEquals(s, prevStates[0]) || StateHashOf(s) == StateHashOf(prevStates[0]))
            ? prevStates[0]
            : await ResolveAsync(work, room, known, prevStates);
        if (stateBefore is null)
        {
            return "the state before the event could not be resolved";
        }

        verdict = EventAuthorizer.Authorize(rules, pdu, k => stateBefore.TryGetValue(k, out var e) ? e.Pdu : OmittedMember(room.Partial is not null, k, byKey));
        if (!verdict.IsAllowed)
        {
            return $"not allowed by the state before it: {verdict.Reason}";
        }

        var softFailed = !ReferenceEquals(stateBefore, room.State) && !EventAuthorizer.Authorize(rules, pdu, k => room.Get(k) ?? OmittedMember(room.Partial is not null, k, byKey)).IsAllowed;
        var beforeHash = ReferenceEquals(stateBefore, room.State) ? room.StateHash : StateHashOf(stateBefore);
        var snapshotBefore = beforeHash == room.StateHash ? room.SnapshotNid : FullSnapshot(work, room, stateBefore, beforeHash);

        work.Touch(room);
        var newEvent = new NewEvent
        {
            EventNid = work.NextEventNid(),
            RoomNid = room.RoomNid,
            EventId = pdu.EventId,
            Type = pdu.Type,
            StateKey = pdu.StateKey,
            StateKeyNid = pdu.StateKeyPair is { } key ? StateKeyNid(work, key) : null,
            Sender = pdu.Sender,
            Depth = pdu.Depth,
            OriginServerTs = pdu.OriginServerTs,
            StreamOrdering = lease.Next(),
            SnapshotNidBefore = snapshotBefore,
            Json = StoredJson(pdu),
            PrevEventNids = [.. prevs.Select(p => p.EventNid)],
            AuthEventNids = [.. authEvents.Select(a => a.EventNid)],
            IsSoftFailed = softFailed,
        };
        work.Add(newEvent);
        work.Parsed[pdu.EventId] = new ParsedEvent(newEvent.EventNid, pdu, newEvent.StateKeyNid, IsOutlier: false);
        var stateAfter = newEvent.StateKeyNid is { } nid ? stateBefore.SetItem(pdu.StateKeyPair!.Value, new StateEntry(nid, newEvent.EventNid, pdu)) : stateBefore;
        room.RememberStateAfter(pdu.EventId, stateAfter);
        if (softFailed)
        {
            // A soft-failed event is kept for the DAG but neither shown nor built upon.
            return null;
        }

        var cited = pdu.PrevEvents.ToHashSet(StringComparer.Ordinal);
        var linear = room.Extremities.All(x => cited.Contains(x.EventId));
        var current = linear ? stateAfter : await ResolveAsync(work, room, known, [room.State, stateAfter]) ?? room.State;
        MoveHead(work, room, current, newEvent.StreamOrdering!.Value, linear && ReferenceEquals(stateBefore, room.State) ? pdu.StateKeyPair : null);
        room.Extremities = [.. room.Extremities.Where(x => !cited.Contains(x.EventId)), new Extremity(newEvent.EventNid, pdu.EventId, pdu.Depth, pdu.Json["hashes"]?.DeepClone())];
        if (forwardExcept is not null)
        {
            QueueForServers(work, room, pdu, newEvent.EventNid, forwardExcept);
        }

        return null;
    }

    private async Task<WriteResult> RecordOutlierAsync(BatchWork work, Sync.Streams.StreamWriteLease lease, OutlierMembership record, Dictionary<string, KnownEvent> known)
    {
        var room = await GetOrAddRoomAsync(work, record.RoomId, record.Rules);
        var pdu = record.Event;
        if (pdu.Type != EventTypes.Member || pdu.StateKey is not { } target
            || pdu.Content["membership"] is not JsonValue value || !value.TryGetValue<string>(out var membership))
        {
            throw MatrixException.BadJson("Not a member event");
        }

        if (Lookup(work, known, room, pdu.EventId) is not null)
        {
            return new WriteResult(room.RoomId, [pdu.EventId]);
        }

        if (room.JoinedServers().Contains(_server.ServerName))
        {
            // A room we are in: the event takes its place in the DAG like any other received event.
            return await AcceptRemoteAsync(work, lease, new RemoteEvents(room.RoomId, [pdu], null), known);
        }

        work.Touch(room);
        var outlier = new NewEvent
        {
            EventNid = work.NextEventNid(),
            RoomNid = room.RoomNid,
            EventId = pdu.EventId,
            Type = pdu.Type,
            StateKey = target,
            StateKeyNid = StateKeyNid(work, pdu.StateKeyPair!.Value),
            Sender = pdu.Sender,
            Depth = pdu.Depth,
            OriginServerTs = pdu.OriginServerTs,
            StreamOrdering = null,
            IsOutlier = true,
            Json = record.InviteRoomState is { } stripped ? WithInviteRoomState(pdu, stripped) : StoredJson(pdu),
            PrevEventNids = [],
            AuthEventNids = [.. pdu.AuthEvents.Select(id => Lookup(work, known, room, id)).OfType<ParsedEvent>().Select(p => p.EventNid)],
        };
        work.Add(outlier);
        work.Parsed[pdu.EventId] = new ParsedEvent(outlier.EventNid, pdu, outlier.StateKeyNid, IsOutlier: true);
        work.Memberships.Add(new MembershipChange(room.RoomNid, target, membership, outlier.EventNid, lease.Next()));
        work.MembershipTargets.Add(target);
        return new WriteResult(room.RoomId, [pdu.EventId]);
    }

    /// <summary>The room, created (without state) when this server has never seen it.</summary>
    private async Task<LiveRoom> GetOrAddRoomAsync(BatchWork work, string roomId, RoomVersionRules rules)
    {
        var room = await GetRoomAsync(roomId);
        if (room is null)
        {
            room = new LiveRoom(work.NextRoomNid(), roomId, rules);
            work.NewRooms.Add((room.RoomNid, room.RoomId, rules.Id));
            _rooms[room.RoomId] = room;
        }
        else if (room.Rules.Id != rules.Id)
        {
            throw MatrixException.BadJson("The room's version differs from the one known here");
        }

        return room;
    }

    private async Task<WriteResult> ImportAsync(BatchWork work, Sync.Streams.StreamWriteLease lease, RoomImport import, Dictionary<string, KnownEvent> known)
    {
        var room = await GetOrAddRoomAsync(work, import.RoomId, import.Rules);
        var rules = room.Rules;
        work.Touch(room);

        // The state and its auth chain become outliers (server-server API, "Joining rooms": the state is checked).
        var createPdu = import.State.FirstOrDefault(p => p.Type == EventTypes.Create && p.StateKey == "");
        StoreOutliers(work, known, room, import.AuthChain.Concat(import.State), createPdu);
        var stateBefore = StateOf(work, known, room, import.State.Select(p => p.EventId));
        if (!stateBefore.ContainsKey(new StateKey(EventTypes.Create, "")))
        {
            throw MatrixException.BadJson("The room's state has no valid create event");
        }

        var join = import.Join;
        var joinAuth = join.AuthEvents.Select(id => Lookup(work, known, room, id)?.Pdu).OfType<Pdu>().Where(p => p.StateKeyPair is not null)
            .GroupBy(p => p.StateKeyPair!.Value).ToDictionary(g => g.Key, g => g.First());
        var verdict = EventAuthorizer.Authorize(rules, join, k => stateBefore.TryGetValue(k, out var e) ? e.Pdu : OmittedMember(import.PartialServers is not null, k, joinAuth));
        if (!verdict.IsAllowed)
        {
            throw MatrixException.Forbidden($"The room's state does not allow the join: {verdict.Reason}");
        }

        var streamOrdering = lease.Next();
        if (import.PartialServers is not null)
        {
            // A complete snapshot of its own, not a delta over an earlier stay's: completing the state fills it.
            room.SnapshotNid = null;
        }

        // Two steps, so that the state before the join gets a snapshot of its own.
        MoveHead(work, room, stateBefore, streamOrdering);
        if (import.PartialServers is { } servers)
        {
            if (room.SnapshotNid is null)
            {
                // Unchanged from an earlier stay, the state got no snapshot above.
                room.SnapshotNid = FullSnapshot(work, room, stateBefore, room.StateHash);
                room.SnapshotDeltaDepth = 0;
            }

            room.Partial = new PartialState(join.EventId, [.. servers.Where(s => s != _server.ServerName).Distinct(StringComparer.Ordinal)], room.SnapshotNid.Value);
            work.PartialStates.Add(new PartialStateChange(room.RoomNid, room.Partial));
        }
        else if (room.Partial is not null)
        {
            room.Partial = null;
            work.PartialStates.Add(new PartialStateChange(room.RoomNid, null));
        }

        var joinNid = work.NextEventNid();
        var joinKeyNid = StateKeyNid(work, join.StateKeyPair!.Value);
        work.Add(new NewEvent
        {
            EventNid = joinNid,
            RoomNid = room.RoomNid,
            EventId = join.EventId,
            Type = join.Type,
            StateKey = join.StateKey,
            StateKeyNid = joinKeyNid,
            Sender = join.Sender,
            Depth = join.Depth,
            OriginServerTs = join.OriginServerTs,
            StreamOrdering = streamOrdering,
            SnapshotNidBefore = room.SnapshotNid,
            Json = StoredJson(join),
            PrevEventNids = [.. join.PrevEvents.Select(id => Lookup(work, known, room, id)).OfType<ParsedEvent>().Select(p => p.EventNid)],
            AuthEventNids = [.. join.AuthEvents.Select(id => Lookup(work, known, room, id)).OfType<ParsedEvent>().Select(p => p.EventNid)],
        });
        work.Parsed[join.EventId] = new ParsedEvent(joinNid, join, joinKeyNid, IsOutlier: false);
        var stateAfter = stateBefore.SetItem(join.StateKeyPair!.Value, new StateEntry(joinKeyNid, joinNid, join));
        MoveHead(work, room, stateAfter, streamOrdering, join.StateKeyPair);
        room.Extremities = [new Extremity(joinNid, join.EventId, join.Depth, join.Json["hashes"]?.DeepClone())];
        room.RememberStateAfter(join.EventId, stateAfter);
        return new WriteResult(room.RoomId, [join.EventId]);
    }

    private async Task<WriteResult> CompleteStateAsync(BatchWork work, Sync.Streams.StreamWriteLease lease, RoomStateCompletion completion, Dictionary<string, KnownEvent> known)
    {
        if (await GetRoomAsync(completion.RoomId) is not { Partial: { } partial } room)
        {
            throw MatrixException.NotFound("The room's state is not partial");
        }

        work.Touch(room);
        var createKey = new StateKey(EventTypes.Create, "");
        StoreOutliers(work, known, room, completion.AuthChain.Concat(completion.State), room.Get(createKey));
        var full = StateOf(work, known, room, completion.State.Select(p => p.EventId));
        if (!full.ContainsKey(createKey))
        {
            throw MatrixException.BadJson("The room's state has no valid create event");
        }

        // Delta snapshots inherit what their complete snapshot is given; keys set since the join keep their events.
        var complete = await _store.LoadCompleteSnapshotKeysAsync(room.RoomNid, partial.FirstSnapshotNid, CancellationToken.None);
        var unsaved = work.NewSnapshots.Where(n => n.RoomNid == room.RoomNid && n.ParentSnapshotNid is null)
            .Select(n => (n.SnapshotNid, (IReadOnlySet<long>)n.Entries.Select(e => e.StateKeyNid).ToHashSet()));
        foreach (var (snapshotNid, keys) in complete.Concat(unsaved))
        {
            var missing = full.Values.Where(e => !keys.Contains(e.StateKeyNid)).Select(e => (e.StateKeyNid, e.EventNid)).ToList();
            if (missing.Count > 0)
            {
                work.SnapshotFills.Add(new SnapshotFill(snapshotNid, missing));
            }
        }

        var remembered = room.Extremities.Select(x => (x.EventId, State: room.RecentStateAfter(x.EventId))).ToList();
        room.ForgetRememberedStates();
        foreach (var (eventId, state) in remembered)
        {
            if (state is not null)
            {
                room.RememberStateAfter(eventId, WithMissing(state, full));
            }
        }

        var position = lease.Next();
        MoveHead(work, room, WithMissing(room.State, full), position);
        work.StateResets.Add((room.RoomNid, position));
        room.Partial = null;
        work.PartialStates.Add(new PartialStateChange(room.RoomNid, null));
        return new WriteResult(room.RoomId, []);
    }

    /// <summary>A state with the keys it lacks taken from another.</summary>
    private static ImmutableDictionary<StateKey, StateEntry> WithMissing(ImmutableDictionary<StateKey, StateEntry> state, ImmutableDictionary<StateKey, StateEntry> from)
    {
        var builder = state.ToBuilder();
        foreach (var (key, entry) in from)
        {
            builder.TryAdd(key, entry);
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// While a room's state is partial, the member events left out of it: those the event cites as auth events
    /// stand in for them (the sender's server vouches for them; they are checked against their own auth events).
    /// </summary>
    private static Pdu? OmittedMember(bool partial, StateKey key, Dictionary<StateKey, Pdu> authEvents) =>
        partial && key.Type == EventTypes.Member ? authEvents.GetValueOrDefault(key) : null;

    /// <summary>
    /// Stores events as outliers, oldest first so that each finds its auth events; an event whose auth events are
    /// unknown or do not allow it is left out. Events already stored are left as they are.
    /// </summary>
    /// <param name="create">The room's create event, for room versions whose events do not cite it.</param>
    private void StoreOutliers(BatchWork work, Dictionary<string, KnownEvent> known, LiveRoom room, IEnumerable<Pdu> events, Pdu? create)
    {
        foreach (var pdu in events.DistinctBy(p => p.EventId).OrderBy(p => p.Depth))
        {
            if (!pdu.IsOfRoom(room.RoomId))
            {
                continue;
            }

            if (work.Parsed.ContainsKey(pdu.EventId))
            {
                continue;
            }

            if (known.TryGetValue(pdu.EventId, out var stored))
            {
                // Stored already: the event at hand (the same, checked) saves parsing the stored copy.
                if (stored.RoomNid == room.RoomNid)
                {
                    work.Parsed[pdu.EventId] = new ParsedEvent(stored.Event.EventNid, pdu, stored.StateKeyNid, stored.IsOutlier);
                }

                continue;
            }

            var auth = pdu.AuthEvents.Select(id => Lookup(work, known, room, id)).ToList();
            if (auth.Any(a => a is null))
            {
                continue;
            }

            var byKey = auth.Where(a => a!.Pdu.StateKeyPair is not null).ToDictionary(a => a!.Pdu.StateKeyPair!.Value, a => a!.Pdu);
            var createPdu = byKey.GetValueOrDefault(new StateKey(EventTypes.Create, "")) ?? create;
            if (!EventAuthorizer.Authorize(room.Rules, pdu, k => byKey.GetValueOrDefault(k) ?? (k.Type == EventTypes.Create ? createPdu : null)).IsAllowed)
            {
                continue;
            }

            var outlier = new NewEvent
            {
                EventNid = work.NextEventNid(),
                RoomNid = room.RoomNid,
                EventId = pdu.EventId,
                Type = pdu.Type,
                StateKey = pdu.StateKey,
                StateKeyNid = pdu.StateKeyPair is { } key ? StateKeyNid(work, key) : null,
                Sender = pdu.Sender,
                Depth = pdu.Depth,
                OriginServerTs = pdu.OriginServerTs,
                StreamOrdering = null,
                IsOutlier = true,
                Json = StoredJson(pdu),
                PrevEventNids = [],
                AuthEventNids = [.. auth.Select(a => a!.EventNid)],
            };
            work.Add(outlier);
            work.Parsed[pdu.EventId] = new ParsedEvent(outlier.EventNid, pdu, outlier.StateKeyNid, IsOutlier: true);
        }
    }

    /// <summary>A state made of those of the events that are stored (or of this batch) and are state events of the room.</summary>
    private ImmutableDictionary<StateKey, StateEntry> StateOf(BatchWork work, Dictionary<string, KnownEvent> known, LiveRoom room, IEnumerable<string> eventIds)
    {
        var state = ImmutableDictionary.CreateBuilder<StateKey, StateEntry>();
        foreach (var id in eventIds)
        {
            if (Lookup(work, known, room, id) is { Pdu.StateKeyPair: { } key } stored)
            {
                state[key] = new StateEntry(StateKeyNid(work, key), stored.EventNid, stored.Pdu);
            }
        }

        return state.ToImmutable();
    }

    /// <summary>An event of this batch or of the store, parsed once per batch; null when unknown or of another room.</summary>
    private static ParsedEvent? Lookup(BatchWork work, Dictionary<string, KnownEvent> known, LiveRoom room, string eventId)
    {
        if (work.Parsed.TryGetValue(eventId, out var parsed))
        {
            return parsed;
        }

        if (!known.TryGetValue(eventId, out var stored) || stored.RoomNid != room.RoomNid)
        {
            return null;
        }

        var pdu = Pdu.FromJson(JsonNode.Parse(stored.Event.Json)!.AsObject(), eventId, room.Rules);
        parsed = new ParsedEvent(stored.Event.EventNid, pdu, stored.StateKeyNid, stored.IsOutlier);
        work.Parsed[eventId] = parsed;
        return parsed;
    }

    /// <summary>The state after a stored event: remembered from a recent write, else read from its snapshot.</summary>
    private async Task<ImmutableDictionary<StateKey, StateEntry>?> StateAfterAsync(LiveRoom room, Dictionary<string, KnownEvent> known, ParsedEvent prev)
    {
        if (room.RecentStateAfter(prev.Pdu.EventId) is { } remembered)
        {
            return remembered;
        }

        if (!known.TryGetValue(prev.Pdu.EventId, out var stored))
        {
            return null;
        }

        var state = stored.SnapshotNidBefore is { } snapshot
            ? ToState(await _store.LoadSnapshotAsync(snapshot, CancellationToken.None), room.Rules)
            : ImmutableDictionary<StateKey, StateEntry>.Empty;
        if (prev.StateKeyNid is { } nid)
        {
            state = state.SetItem(prev.Pdu.StateKeyPair!.Value, new StateEntry(nid, prev.EventNid, prev.Pdu));
        }

        room.RememberStateAfter(prev.Pdu.EventId, state);
        return state;
    }

    /// <summary>
    /// State resolution over the given states. Events it needs that are not in them (auth chains) are read from the
    /// store on demand, a whole auth chain at a time; null when an event stays missing.
    /// </summary>
    private async Task<ImmutableDictionary<StateKey, StateEntry>?> ResolveAsync(BatchWork work, LiveRoom room, Dictionary<string, KnownEvent> known,
        IReadOnlyList<ImmutableDictionary<StateKey, StateEntry>> states)
    {
        var entries = new Dictionary<string, StateEntry>(StringComparer.Ordinal);
        foreach (var entry in states.SelectMany(s => s.Values))
        {
            entries.TryAdd(entry.Pdu.EventId, entry);
        }

        var sets = states.Select(s => (IReadOnlyDictionary<StateKey, string>)s.ToDictionary(e => e.Key, e => e.Value.Pdu.EventId)).ToList();
        var loadedChains = false;
        for (var attempt = 0; attempt < ResolutionAttempts; attempt++)
        {
            var result = StateResolver.Resolve(room.Rules, sets, id => entries.GetValueOrDefault(id)?.Pdu ?? Lookup(work, known, room, id)?.Pdu);
            if (result.State is { } resolved)
            {
                var state = ImmutableDictionary.CreateBuilder<StateKey, StateEntry>();
                foreach (var (key, eventId) in resolved)
                {
                    state[key] = entries[eventId];
                }

                return state.ToImmutable();
            }

            if (loadedChains && !known.ContainsKey(result.MissingEventId!))
            {
                var more = await _store.LoadEventsAsync([result.MissingEventId!], CancellationToken.None);
                if (more.Count == 0)
                {
                    return null;
                }

                foreach (var (id, e) in more)
                {
                    known[id] = e;
                }

                continue;
            }

            // The conflicted events' auth chains, in one read.
            var conflicted = entries.Values.Where(e => sets.Any(s => !s.TryGetValue(e.Pdu.StateKeyPair!.Value, out var id) || id != e.Pdu.EventId));
            foreach (var e in await _store.LoadAuthChainAsync([.. conflicted.Select(e => e.EventNid)], CancellationToken.None))
            {
                known.TryAdd(e.Event.EventId, e);
            }

            loadedChains = true;
        }

        return null;
    }

    private static string WithInviteRoomState(Pdu pdu, JsonArray stripped)
    {
        var json = pdu.Json.DeepClone().AsObject();
        json["unsigned"] = new JsonObject { [InviteRoomStateKey] = stripped.DeepClone() };
        return Encoding.UTF8.GetString(CanonicalJson.Encode(json));
    }

    private static string StoredJson(Pdu pdu)
    {
        // What other servers add under "unsigned" (age, prev_content) is theirs; it is not part of the event.
        var json = pdu.Json.DeepClone().AsObject();
        json.Remove("unsigned");
        return Encoding.UTF8.GetString(CanonicalJson.Encode(json));
    }
}
