using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.PowerLevels;
using Homeserver.Protocol.Redaction;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;
using Microsoft.Extensions.Logging;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// The one writer of the room engine (DESIGN.md §3). Requests queue up; a single loop takes whatever has gathered,
/// completes each draft into a signed event against the room's state in memory, checks it against the auth rules,
/// and commits the whole batch in one transaction (group commit). Being the only writer serialises every room and
/// makes the event stream's positions commit in order. Callers learn their event IDs only after the commit.
/// </summary>
public sealed partial class RoomEventWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const int MaxPrevEvents = 10;
    private const int FullSnapshotEvery = 100;
    private const int RememberedTransactions = 100_000;

    // Clients retry a transaction when its answer was lost, moments later; older IDs are not asked again.
    private const int TransactionsLoadedPerDevice = 1_000;

    private readonly Channel<WriteRequest> _queue = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IRoomEventStore _store;
    private readonly StreamPositions _positions;
    private readonly SyncNotifier _notifier;
    private readonly StreamHeads _heads;
    private readonly RecentTimelines _timelines;
    private readonly OutboxSignal _outbox;
    private readonly ServerIdentity _server;
    private readonly SigningKey _key;
    private readonly TimeProvider _time;
    private readonly ILogger<RoomEventWriter> _logger;
    // Concurrent only so that request threads can ask IsLoaded; the writer loop alone changes it.
    private readonly ConcurrentDictionary<string, LiveRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, string StateKey), long> _stateKeyNids = [];
    private readonly Dictionary<TransactionKey, string> _transactions = [];
    private readonly HashSet<(string UserId, string DeviceId)> _devicesLoaded = [];
    private readonly Task _loop;
    private EngineIds? _ids;

    public RoomEventWriter(IRoomEventStore store, StreamPositions positions, SyncNotifier notifier, StreamHeads heads, RecentTimelines timelines, OutboxSignal outbox,
        ServerIdentity server, SigningKey key, TimeProvider time, ILogger<RoomEventWriter> logger)
    {
        _heads = heads;
        _timelines = timelines;
        _store = store;
        _outbox = outbox;
        _positions = positions;
        _notifier = notifier;
        _server = server;
        _key = key;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Adds one event to an existing room.</summary>
    /// <exception cref="MatrixException">The room is unknown (404) or the auth rules refuse the event (403).</exception>
    public async Task<string> SendAsync(EventDraft draft, CancellationToken cancellationToken)
    {
        var result = await EnqueueAsync(new WriteRequest([draft], null), cancellationToken);
        return result.EventIds[0];
    }

    /// <summary>
    /// Whether the room is held in memory, so that a send to it needs no read; callers check other rooms exist
    /// first, in parallel, rather than let unknown room IDs queue reads in the writer.
    /// </summary>
    public bool IsLoaded(string roomId) => _rooms.ContainsKey(roomId);

    /// <summary>Creates a room from its initial events (the create event first); all of them are committed, or none.</summary>
    public Task<WriteResult> CreateRoomAsync(RoomVersionRules rules, IReadOnlyList<EventDraft> drafts, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteRequest(drafts, rules), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task<WriteResult> EnqueueAsync(WriteRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(request), this);

        // Once queued the write goes ahead whatever the caller does, so a cancelled caller stops waiting, nothing more.
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteRequest>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            try
            {
                await ProcessAsync(batch);
            }
            catch (Exception e)
            {
                LogBatchFailed(e, batch.Count);
                foreach (var request in batch)
                {
                    request.Completion.TrySetException(e);
                }
            }
        }
    }

    private async Task ProcessAsync(List<WriteRequest> requests)
    {
        _ids ??= await _store.LoadIdsAsync(CancellationToken.None);
        await ResolveStateKeysAsync(requests);
        var known = await PrefetchAsync(requests);

        using var lease = await _positions.BeginWriteAsync(StreamName.Events, CancellationToken.None);
        var work = new BatchWork(_ids);
        foreach (var request in requests)
        {
            try
            {
                var result = request switch
                {
                    { NewRoomRules: { } rules } => CreateRoom(work, lease, rules, request.Drafts),
                    { Remote: { } remote } => await AcceptRemoteAsync(work, lease, remote, known),
                    { Import: { } import } => await ImportAsync(work, lease, import, known),
                    { StateCompletion: { } completion } => await CompleteStateAsync(work, lease, completion, known),
                    { Outlier: { } outlier } => await RecordOutlierAsync(work, lease, outlier, known),
                    { Backfill: { } history } => await BackfillAsync(work, history, known),
                    { TemplateOnly: true } => await TemplateAsync(request.Drafts[0]),
                    _ => await SendAsync(work, lease, request.Drafts[0]),
                };
                work.Completed.Add((request, result));
            }
            catch (MatrixException e)
            {
                request.Completion.TrySetException(e);
            }
            catch (InvalidEventException e)
            {
                request.Completion.TrySetException(MatrixException.BadJson(e.Message));
            }
        }

        if (work.HasWrites)
        {
            try
            {
                await _store.PersistAsync(work.ToBatch(), CancellationToken.None);
            }
            catch
            {
                // Memory ran ahead of the database: forget what this batch changed so that it is reloaded.
                _lowestStreamOrdering = null;
                foreach (var room in work.TouchedRooms)
                {
                    _rooms.TryRemove(room.RoomId, out _);
                }

                foreach (var (_, type, stateKey) in work.NewStateKeys)
                {
                    _stateKeyNids.Remove((type, stateKey));
                }

                foreach (var e in work.Events.Where(e => e.Transaction is not null))
                {
                    _transactions.Remove(e.Transaction!.Value);
                }

                throw;
            }

            foreach (var e in work.Events.Where(e => e.StreamOrdering > 0))
            {
                _heads.AdvanceRoom(e.RoomNid, e.StreamOrdering!.Value);
            }

            RememberTimelines(work);
            foreach (var (roomNid, position) in work.StateResets)
            {
                _heads.AdvanceStateReset(roomNid, position);
            }

            foreach (var change in work.Memberships)
            {
                _heads.AdvanceRoomMembership(change.RoomNid, change.StreamOrdering);
                if (_server.IsLocal(change.UserId))
                {
                    _heads.AdvanceMembership(change.UserId, change.StreamOrdering);
                }
            }

            lease.Publish();
            _ids = work.Ids;
        }

        foreach (var (request, result) in work.Completed)
        {
            request.Completion.TrySetResult(result);
        }

        foreach (var room in work.TouchedRooms)
        {
            _notifier.NotifyRoom(room.RoomId);
        }

        _notifier.NotifyUsers(work.MembershipTargets);
        if (work.Destinations.Count > 0)
        {
            _outbox.Wake(work.Destinations);
        }
    }

    /// <summary>Hands the batch's timeline events, as the read side would serve them, to the windows sync answers from.</summary>
    private void RememberTimelines(BatchWork work)
    {
        var roomIds = work.TouchedRooms.ToDictionary(r => r.RoomNid, r => r.RoomId);
        foreach (var room in work.Events.Where(e => e.StreamOrdering > 0 && !e.IsOutlier && !e.IsSoftFailed).GroupBy(e => e.RoomNid))
        {
            if (!roomIds.TryGetValue(room.Key, out var roomId))
            {
                _timelines.Forget(room.Key);
                continue;
            }

            _timelines.Add(room.Key, [.. room.OrderBy(e => e.StreamOrdering).Select(e =>
                new RoomEvent(e.EventNid, e.EventId, roomId, e.StreamOrdering!.Value, e.Type, e.StateKey, e.Sender, e.OriginServerTs, e.Json, null, e.SnapshotNidBefore)
                {
                    Transaction = e.Transaction,
                })]);
        }

        foreach (var e in work.Events.Where(e => e.Redaction is not null))
        {
            _timelines.Redact(e.RoomNid, e.Redaction!.Value.EventNid, e.Redaction.Value.RedactedJson, e.EventId);
        }
    }

    private async Task ResolveStateKeysAsync(List<WriteRequest> requests)
    {
        var received = requests.SelectMany(r => (r.Remote?.Events ?? []).Concat(r.Backfill?.Events ?? [])
            .Concat(r.Import is { } i ? [.. i.AuthChain, .. i.State, i.Join] : [])
            .Concat(r.StateCompletion is { } c ? [.. c.AuthChain, .. c.State] : [])
            .Concat(r.Outlier is { } o ? [o.Event] : [])
            .Concat(r.Remote?.StatesBefore?.Values.SelectMany(f => f.Fetched) ?? [])
            .Concat(r.Remote?.AuthChain ?? []));
        var missing = requests.SelectMany(r => r.Drafts).Select(d => (d.Type, d.StateKey))
            .Concat(received.Select(p => (p.Type, p.StateKey)))
            .Where(d => d.StateKey is not null && !_stateKeyNids.ContainsKey((d.Type, d.StateKey)))
            .Select(d => (d.Type, d.StateKey!))
            .Distinct()
            .ToList();
        if (missing.Count > 0)
        {
            foreach (var (key, nid) in await _store.FindStateKeysAsync(missing, CancellationToken.None))
            {
                _stateKeyNids[key] = nid;
            }
        }
    }

    /// <summary>
    /// Transaction IDs sent before this process started are read once per device, on its first send; after that
    /// <see cref="_transactions"/> knows every one the device used, and a send needs no read to be idempotent.
    /// </summary>
    private async Task LoadTransactionsAsync(TransactionKey transaction)
    {
        if (_devicesLoaded.Contains((transaction.UserId, transaction.DeviceId)))
        {
            return;
        }

        var earlier = await _store.LoadRecentTransactionsAsync(transaction.UserId, transaction.DeviceId, TransactionsLoadedPerDevice, CancellationToken.None);
        RememberTransactions(earlier.Select(t => (transaction with { TransactionId = t.TransactionId }, t.EventId)), earlier.Count);
        _devicesLoaded.Add((transaction.UserId, transaction.DeviceId));
    }

    private void RememberTransactions(IEnumerable<(TransactionKey Key, string EventId)> transactions, int count)
    {
        if (_transactions.Count + count > RememberedTransactions)
        {
            // Forgetting everything is rare (a hundred thousand sends) and safe: each device is read again.
            _transactions.Clear();
            _devicesLoaded.Clear();
        }

        foreach (var (key, eventId) in transactions)
        {
            _transactions.TryAdd(key, eventId);
        }
    }

    private WriteResult CreateRoom(BatchWork work, StreamWriteLease lease, RoomVersionRules rules, IReadOnlyList<EventDraft> drafts)
    {
        if (drafts.Count == 0 || drafts[0].Type != EventTypes.Create)
        {
            throw new InvalidOperationException("A room starts with its create event");
        }

        var roomNid = work.NextRoomNid();
        var roomId = rules.Authorization.RoomCreateEventIdAsRoomId ? "" : $"!{RandomString(18)}:{_server.ServerName}";
        var room = new LiveRoom(roomNid, roomId, rules);

        // Built and checked in full before anything is staged, so that a refused event leaves no half-made room.
        var staged = new List<NewEvent>(drafts.Count);
        var roomWork = work.Fork();
        try
        {
            foreach (var draft in drafts)
            {
                var newEvent = Build(roomWork, lease, room, draft with { RoomId = room.RoomId == "" ? null : room.RoomId }, redaction: null);
                if (draft.Type == EventTypes.Create && room.RoomId == "")
                {
                    room.RoomId = "!" + newEvent.EventId[1..];
                }

                staged.Add(newEvent);
            }
        }
        catch
        {
            foreach (var (_, type, stateKey) in roomWork.NewStateKeys)
            {
                _stateKeyNids.Remove((type, stateKey));
            }

            throw;
        }

        work.Merge(roomWork);
        work.NewRooms.Add((roomNid, room.RoomId, rules.Id));
        _rooms[room.RoomId] = room;
        return new WriteResult(room.RoomId, [.. staged.Select(e => e.EventId)]);
    }

    private async Task<WriteResult> SendAsync(BatchWork work, StreamWriteLease lease, EventDraft draft)
    {
        if (draft.Transaction is { } transaction)
        {
            await LoadTransactionsAsync(transaction);
            if (_transactions.TryGetValue(transaction, out var earlier))
            {
                return new WriteResult(draft.RoomId!, [earlier]);
            }
        }

        var room = await GetRoomAsync(draft.RoomId!) ?? throw MatrixException.NotFound("Unknown room");
        var redaction = draft.Type == EventTypes.Redaction ? await LoadRedactionTargetAsync(room, draft) : null;
        var newEvent = Build(work, lease, room, draft, redaction);
        if (draft.Transaction is { } key)
        {
            RememberTransactions([(key, newEvent.EventId)], 1);
        }

        return new WriteResult(room.RoomId, [newEvent.EventId]);
    }

    private async Task<(long EventNid, string RedactedJson)?> LoadRedactionTargetAsync(LiveRoom room, EventDraft draft)
    {
        var targetId = draft.Redacts ?? (draft.Content["redacts"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null);
        if (targetId is null || await _store.LoadEventAsync(targetId, CancellationToken.None) is not { } target || target.RoomNid != room.RoomNid)
        {
            // A redaction of an unknown event is still a valid event; it just has nothing to act on here.
            return null;
        }

        var targetJson = JsonNode.Parse(target.Event.Json)!.AsObject();
        var levels = RoomPowerLevels.From(room.Get(new StateKey(EventTypes.PowerLevels, "")), room.Get(new StateKey(EventTypes.Create, "")), room.Rules);
        if (targetJson["sender"]?.GetValue<string>() != draft.Sender && levels.UserLevel(draft.Sender) < levels.Redact)
        {
            // Client-server API, "Redactions": others' events need the room's redact level.
            throw MatrixException.Forbidden("You may redact only your own events without the power to redact");
        }

        var redacted = Redactor.Redact(targetJson, room.Rules.Redaction);
        return (target.Event.EventNid, redacted.ToJsonString());
    }

    private async Task<LiveRoom?> GetRoomAsync(string roomId)
    {
        if (_rooms.TryGetValue(roomId, out var room))
        {
            return room;
        }

        if (await _store.LoadRoomAsync(roomId, CancellationToken.None) is not { } loaded
            || !RoomVersions.TryGet(loaded.RoomVersion, out var rules))
        {
            return null;
        }

        room = new LiveRoom(loaded.RoomNid, loaded.RoomId, rules)
        {
            SnapshotNid = loaded.CurrentSnapshotNid,
            SnapshotDeltaDepth = loaded.CurrentSnapshotDeltaDepth,
            Partial = loaded.Partial,
        };
        var state = ToState(loaded.State, rules);
        room.SetState(state);
        room.StateHash = StateHashOf(state);

        room.Extremities = [.. loaded.ForwardExtremities.Select(x => new Extremity(x.EventNid, x.EventId, x.Depth, JsonNode.Parse(x.Json)?["hashes"]?.DeepClone()))];
        _rooms[roomId] = room;
        return room;
    }

    private ImmutableDictionary<StateKey, StateEntry> ToState(IEnumerable<(long StateKeyNid, StoredEvent Event)> entries, RoomVersionRules rules)
    {
        var state = ImmutableDictionary.CreateBuilder<StateKey, StateEntry>();
        foreach (var (stateKeyNid, stored) in entries)
        {
            var pdu = Pdu.FromJson(JsonNode.Parse(stored.Json)!.AsObject(), stored.EventId, rules);
            state[pdu.StateKeyPair!.Value] = new StateEntry(stateKeyNid, stored.EventNid, pdu);
            _stateKeyNids[(pdu.Type, pdu.StateKey!)] = stateKeyNid;
        }

        return state.ToImmutable();
    }

    /// <summary>The unsigned event a draft becomes at the room's head: prev and auth events, depth and time filled in.</summary>
    private (JsonObject Json, IReadOnlyList<Extremity> Prevs, IReadOnlyList<StateEntry> Auth) Complete(LiveRoom room, EventDraft draft)
    {
        var rules = room.Rules;
        var json = new JsonObject
        {
            ["type"] = draft.Type,
            ["sender"] = draft.Sender,
            ["content"] = draft.Content.DeepClone(),
            ["origin_server_ts"] = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        if (draft.RoomId is not null)
        {
            json["room_id"] = draft.RoomId;
        }

        if (draft.StateKey is not null)
        {
            json["state_key"] = draft.StateKey;
        }

        if (draft.Redacts is not null && !rules.Redaction.V11Changes)
        {
            json["redacts"] = draft.Redacts;
        }

        var prevs = room.Extremities.Count > MaxPrevEvents ? room.Extremities[^MaxPrevEvents..] : room.Extremities;
        var authKeys = AuthEventSelection.Select(rules, draft.Type, draft.StateKey, draft.Sender, draft.Content);
        var auth = authKeys.Select(k => room.State.GetValueOrDefault(k)).OfType<StateEntry>().ToList();
        var v1Format = rules.EventFormat == EventFormat.V1;
        json["prev_events"] = new JsonArray([.. prevs.Select(p => Reference(v1Format, p.EventId, p.Hashes))]);
        json["auth_events"] = new JsonArray([.. auth.Select(a => Reference(v1Format, a.Pdu.EventId, a.Pdu.Json["hashes"]))]);
        json["depth"] = prevs.Count == 0 ? 1 : Math.Min(prevs.Max(p => p.Depth) + 1, long.MaxValue);
        return (json, prevs, auth);
    }

    /// <summary>Completes, signs and authorises one event, then applies it to the room's head in memory.</summary>
    private NewEvent Build(BatchWork work, StreamWriteLease lease, LiveRoom room, EventDraft draft, (long EventNid, string RedactedJson)? redaction)
    {
        var rules = room.Rules;
        var (json, prevs, auth) = Complete(room, draft);
        if (rules.EventFormat == EventFormat.V1)
        {
            json["event_id"] = $"${RandomString(18)}:{_server.ServerName}";
        }

        var eventId = EventSigner.HashAndSign(json, rules, _server.ServerName, _key);
        var encoded = CanonicalJson.Encode(json);
        if (encoded.Length > PduParser.MaxEventBytes)
        {
            throw MatrixException.TooLarge($"The event is {encoded.Length} bytes; at most {PduParser.MaxEventBytes} are allowed");
        }

        var pdu = Pdu.FromJson(json, eventId, rules);
        var verdict = EventAuthorizer.Authorize(rules, pdu, room.Get);
        if (!verdict.IsAllowed)
        {
            throw MatrixException.Forbidden($"The room's rules refuse this event: {verdict.Reason}");
        }

        work.Touch(room);
        var eventNid = work.NextEventNid();
        var newEvent = new NewEvent
        {
            EventNid = eventNid,
            RoomNid = room.RoomNid,
            EventId = eventId,
            Type = pdu.Type,
            StateKey = pdu.StateKey,
            StateKeyNid = pdu.StateKeyPair is { } key ? StateKeyNid(work, key) : null,
            Sender = pdu.Sender,
            Depth = pdu.Depth,
            OriginServerTs = pdu.OriginServerTs,
            StreamOrdering = lease.Next(),
            SnapshotNidBefore = room.SnapshotNid,
            Json = Encoding.UTF8.GetString(encoded),
            PrevEventNids = [.. prevs.Select(p => p.EventNid)],
            AuthEventNids = [.. auth.Select(a => a.EventNid)],
            Transaction = draft.Transaction,
            Redaction = redaction,
        };
        work.Add(newEvent);
        work.Parsed[eventId] = new ParsedEvent(eventNid, pdu, newEvent.StateKeyNid, IsOutlier: false);
        var stateAfter = newEvent.StateKeyNid is { } nid ? room.State.SetItem(pdu.StateKeyPair!.Value, new StateEntry(nid, eventNid, pdu)) : room.State;
        MoveHead(work, room, stateAfter, newEvent.StreamOrdering!.Value, pdu.StateKeyPair);
        room.Extremities = [new Extremity(eventNid, eventId, pdu.Depth, json["hashes"]?.DeepClone())];
        room.RememberStateAfter(eventId, room.State);
        QueueForServers(work, room, pdu, eventNid, except: null);
        return newEvent;
    }

    /// <summary>
    /// Makes <paramref name="state"/> the room's current state: the materialised rows and memberships that differ, the
    /// state hash, and a snapshot (a delta over the current one, or a full one every <see cref="FullSnapshotEvery"/> steps).
    /// </summary>
    /// <param name="onlyChanged">
    /// Set when <paramref name="state"/> is the current state with this one key set, as after a state event that
    /// needed no resolution: then only that key is compared, not the whole state (30,000 members in a large room).
    /// </param>
    private static void MoveHead(BatchWork work, LiveRoom room, ImmutableDictionary<StateKey, StateEntry> state, long streamOrdering, StateKey? onlyChanged = null)
    {
        if (ReferenceEquals(state, room.State))
        {
            return;
        }

        var changes = new List<(long StateKeyNid, long? EventNid)>();
        var hash = room.StateHash;
        IEnumerable<KeyValuePair<StateKey, StateEntry>> candidates = onlyChanged is not { } changed ? state
            : state.TryGetValue(changed, out var set) ? [new(changed, set)] : [];
        foreach (var (key, entry) in candidates)
        {
            room.State.TryGetValue(key, out var old);
            if (old is not null && old.EventNid == entry.EventNid)
            {
                continue;
            }

            if (old is not null)
            {
                hash ^= EntryHash(old.StateKeyNid, old.EventNid);
            }

            hash ^= EntryHash(entry.StateKeyNid, entry.EventNid);
            changes.Add((entry.StateKeyNid, entry.EventNid));
            work.CurrentState.Add(new CurrentStateChange(room.RoomNid, entry.StateKeyNid, entry.EventNid));
            if (key.Type == EventTypes.Member && entry.Pdu.Content["membership"] is JsonValue value && value.TryGetValue<string>(out var membership))
            {
                work.Memberships.Add(new MembershipChange(room.RoomNid, key.Key, membership, entry.EventNid, streamOrdering));
                work.MembershipTargets.Add(key.Key);
            }
        }

        // Setting a key removes none.
        foreach (var (key, old) in onlyChanged is null ? room.State : [])
        {
            if (!state.ContainsKey(key))
            {
                hash ^= EntryHash(old.StateKeyNid, old.EventNid);
                changes.Add((old.StateKeyNid, null));
                work.CurrentState.Add(new CurrentStateChange(room.RoomNid, old.StateKeyNid, null));
            }
        }

        room.SetState(state);
        room.StateHash = hash;
        if (changes.Count == 0)
        {
            return;
        }

        var full = room.SnapshotNid is null || room.SnapshotDeltaDepth + 1 >= FullSnapshotEvery;
        room.SnapshotNid = full ? FullSnapshot(work, room, state, hash) : DeltaSnapshot(work, room, changes, hash);
        room.SnapshotDeltaDepth = full ? 0 : room.SnapshotDeltaDepth + 1;
    }

    private static long FullSnapshot(BatchWork work, LiveRoom room, ImmutableDictionary<StateKey, StateEntry> state, ulong hash)
    {
        var snapshotNid = work.NextSnapshotNid();
        work.NewSnapshots.Add(new NewSnapshot(snapshotNid, room.RoomNid, null, 0, HashText(hash),
            [.. state.Values.Select(e => (e.StateKeyNid, (long?)e.EventNid))]));
        return snapshotNid;
    }

    private static long DeltaSnapshot(BatchWork work, LiveRoom room, List<(long StateKeyNid, long? EventNid)> changes, ulong hash)
    {
        var snapshotNid = work.NextSnapshotNid();
        work.NewSnapshots.Add(new NewSnapshot(snapshotNid, room.RoomNid, room.SnapshotNid, room.SnapshotDeltaDepth + 1, HashText(hash), changes));
        return snapshotNid;
    }

    private static string HashText(ulong hash) => hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static ulong StateHashOf(ImmutableDictionary<StateKey, StateEntry> state) =>
        state.Values.Aggregate(0UL, (hash, e) => hash ^ EntryHash(e.StateKeyNid, e.EventNid));

    /// <summary>
    /// Queues an event for every other server with a joined member (and, for a member event, the target's server, so
    /// that an invited or kicked user hears of it), in the event's own transaction (DESIGN.md §4).
    /// </summary>
    private void QueueForServers(BatchWork work, LiveRoom room, Pdu pdu, long eventNid, string? except)
    {
        var destinations = new HashSet<string>(room.JoinedServers(), StringComparer.Ordinal);
        if (pdu.Type == EventTypes.Member && pdu.StateKey is { } target)
        {
            destinations.Add(LiveRoom.ServerOf(target));
        }

        destinations.Remove(_server.ServerName);
        if (except is not null)
        {
            destinations.Remove(except);
        }

        foreach (var destination in destinations)
        {
            work.Outbox.Add((destination, eventNid));
            work.Destinations.Add(destination);
        }
    }

    private long StateKeyNid(BatchWork work, StateKey key)
    {
        if (!_stateKeyNids.TryGetValue((key.Type, key.Key), out var nid))
        {
            nid = work.NextStateKeyNid();
            _stateKeyNids[(key.Type, key.Key)] = nid;
            work.NewStateKeys.Add((nid, key.Type, key.Key));
        }

        return nid;
    }

    private static JsonNode Reference(bool v1Format, string eventId, JsonNode? hashes) =>
        v1Format ? new JsonArray(eventId, hashes?.DeepClone() ?? new JsonObject()) : JsonValue.Create(eventId);

    private static ulong EntryHash(long stateKeyNid, long eventNid)
    {
        // A 64-bit mix (splitmix64) of the pair, so that XOR-ing entries gives a hash of the set.
        var x = unchecked((ulong)stateKeyNid * 0x9E3779B97F4A7C15UL ^ (ulong)eventNid);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }

    private static string RandomString(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Persisting a batch of {Count} room writes failed")]
    private partial void LogBatchFailed(Exception exception, int count);
}
