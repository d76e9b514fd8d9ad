using System.Text.Json;
using System.Text.Json.Nodes;
using Homeserver.Core.AccountData;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Json;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Sync.Filters;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;

namespace Homeserver.Core.Sync;

/// <summary>
/// <c>GET /sync</c> (client-server API, "Syncing"): everything new for the user between two tokens, waiting up to
/// the timeout for something to arrive. A token holds one position per stream; the response covers each stream up
/// to the position published when the computation began, so nothing committed later is skipped.
/// </summary>
public sealed class SyncService(
    IRoomReadStore rooms,
    IAccountDataStore accountData,
    FilterService filters,
    StreamPositions positions,
    SyncNotifier notifier,
    StreamHeads heads,
    RecentTimelines recent,
    UserMembershipCache membershipCache,
    IEnumerable<ISyncExtension> extensions,
    Presence.PresenceService presence,
    TimeProvider time)
{
    private const int DefaultTimelineLimit = 10;

    /// <summary>Bounds the rereads of <see cref="MissesMembershipChange"/>, which only a bug could make endless.</summary>
    private const int MaxMembershipRereads = 5;
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    public async Task<JsonObject> SyncAsync(Session session, SyncRequest request, CancellationToken cancellationToken)
    {
        var filter = await filters.ForSyncAsync(session, request.Filter, cancellationToken);
        SyncToken? since = null;
        if (request.Since is not null)
        {
            since = SyncToken.TryParse(request.Since, out var parsed) ? parsed : throw MatrixException.InvalidParam("since is not a token this server gave out");
        }

        await presence.SetFromSyncAsync(session.UserId, request.SetPresence, cancellationToken);
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(request.TimeoutMs ?? 0, 0, (long)MaxTimeout.TotalMilliseconds));
        var deadline = time.GetUtcNow() + timeout;
        var membershipRereads = 0;
        while (true)
        {
            var memberships = await membershipCache.GetAsync(rooms, session.UserId, cancellationToken);
            // Registered before looking, so that whatever commits while we look still wakes us.
            using var waiter = notifier.Register(session.UserId, [.. memberships.Where(m => m.Membership == Memberships.Join).Select(m => m.RoomId)]);
            var upTo = new SyncToken(positions.Snapshot());
            if (MissesMembershipChange(session.UserId, memberships, upTo[StreamName.Events]) && membershipRereads++ < MaxMembershipRereads)
            {
                continue;
            }

            if (since is null || request.FullState || !upTo.Positions.SequenceEqual(since.Positions))
            {
                var (response, isEmpty) = await ComputeAsync(session, memberships, since, upTo, filter, request.FullState, cancellationToken);
                var remaining = deadline - time.GetUtcNow();
                if (!isEmpty || since is null || remaining <= TimeSpan.Zero)
                {
                    return response;
                }

                // Nothing for this user in what moved: wait on from here.
                since = upTo;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero || !await waiter.WaitAsync(left, time, cancellationToken))
            {
                return EmptyResponse(since!);
            }
        }
    }

    private async Task<(JsonObject Response, bool IsEmpty)> ComputeAsync(Session session, IReadOnlyList<UserMembership> memberships, SyncToken? since,
        SyncToken upTo, SyncFilter? filter, bool fullState, CancellationToken cancellationToken)
    {
        var join = new JsonObject();
        var invite = new JsonObject();
        var leave = new JsonObject();
        var knock = new JsonObject();
        var sinceEvents = since?[StreamName.Events] ?? 0;
        var upToEvents = upTo[StreamName.Events];
        var accountDataSince = since?[StreamName.AccountData] ?? 0;
        var changes = accountDataSince >= upTo[StreamName.AccountData]
            ? []
            : await accountData.GetChangesAsync(session.UserId, accountDataSince, upTo[StreamName.AccountData], cancellationToken);
        var roomAccountData = changes.Where(c => c.RoomId is not null).ToLookup(c => c.RoomId!);
        var roomFilter = filter?.Room;
        var quiet = since is null || fullState ? [] : await QuietRoomsAsync(memberships, sinceEvents, cancellationToken);
        // A quiet room is still shown when only its account data moved.
        // A room whose state was reset since (a partial state completed) is shown whole, as to a new member.
        bool Reset(UserMembership m) => since is not null && heads.StateResetAfter(m.RoomNid, sinceEvents);
        bool Skipped(UserMembership m) => quiet.Contains(m.RoomNid) && !roomAccountData[m.RoomId].Any() && !Reset(m);
        var shown = memberships
            .Where(m => m.Membership == Memberships.Join && m.StreamOrdering <= upToEvents && roomFilter.MatchesRoom(m.RoomId) && !Skipped(m))
            .ToList();
        var prefetch = await PrefetchAsync(shown, since is null ? null : sinceEvents, upToEvents, TimelineLimit(roomFilter), fullState, Reset, cancellationToken);
        foreach (var membership in memberships)
        {
            if (membership.StreamOrdering > upToEvents || !roomFilter.MatchesRoom(membership.RoomId))
            {
                // Happened after this sync's snapshot (the next sync shows it), or filtered out.
                continue;
            }

            var changedSince = since is null || membership.StreamOrdering > sinceEvents;
            var whole = changedSince || Reset(membership);
            switch (membership.Membership)
            {
                case Memberships.Join when Skipped(membership):
                    break;
                case Memberships.Join:
                    var room = await JoinedRoomAsync(session, membership, prefetch, upToEvents, roomFilter,
                        incremental: !whole && !fullState, since is null ? 0 : sinceEvents, roomAccountData[membership.RoomId], cancellationToken);
                    if (room is not null)
                    {
                        join[membership.RoomId] = room;
                    }

                    break;
                case Memberships.Invite when changedSince:
                    invite[membership.RoomId] = new JsonObject { ["invite_state"] = new JsonObject { ["events"] = await StrippedStateAsync(membership, session.UserId, cancellationToken) } };
                    break;
                case Memberships.Knock when changedSince:
                    knock[membership.RoomId] = new JsonObject { ["knock_state"] = new JsonObject { ["events"] = await StrippedStateAsync(membership, session.UserId, cancellationToken) } };
                    break;
                case Memberships.Leave or Memberships.Ban when !membership.Forgotten && (since is not null ? changedSince : roomFilter?.IncludeLeave == true):
                    leave[membership.RoomId] = await LeftRoomAsync(session, membership, since is null ? 0 : sinceEvents, roomFilter, cancellationToken);
                    break;
            }
        }

        var response = new JsonObject { ["next_batch"] = upTo.ToString() };
        var roomsObject = new JsonObject();
        AddIfAny(roomsObject, "join", join);
        AddIfAny(roomsObject, "invite", invite);
        AddIfAny(roomsObject, "leave", leave);
        AddIfAny(roomsObject, "knock", knock);
        AddIfAny(response, "rooms", roomsObject);
        var global = changes.Where(c => c.RoomId is null && filter?.AccountData.Matches(c.Type, session.UserId) != false).Select(ToEvent).ToList();
        if (global.Count > 0)
        {
            response["account_data"] = new JsonObject { ["events"] = new JsonArray([.. global]) };
        }

        var isEmpty = roomsObject.Count == 0 && global.Count == 0;
        var context = new SyncContext(session, since, upTo, memberships, [.. memberships.Where(m => m.Membership == Memberships.Join && m.StreamOrdering <= upToEvents).Select(m => m.RoomId)], response);
        foreach (var extension in extensions)
        {
            isEmpty &= !await extension.AddAsync(context, cancellationToken);
        }

        return (response, isEmpty);
    }

    /// <summary>
    /// Whether a change of the user's memberships that <paramref name="upToEvents"/> covers committed after the
    /// memberships were read. Such a sync would hand out a position past the change without showing it (a join
    /// read as an invite shows no room, and the next sync would then treat the room as one already shown), so the
    /// memberships are read again.
    /// </summary>
    private bool MissesMembershipChange(string userId, IReadOnlyList<UserMembership> memberships, long upToEvents) =>
        heads.TryGetMembership(userId, out var changed) && changed <= upToEvents && !memberships.Any(m => m.StreamOrdering >= changed);

    /// <summary>
    /// The joined rooms with no event after <paramref name="sinceEvents"/>, which an incremental sync need not read.
    /// Called after the sync's positions were taken, so the heads cover every event up to them.
    /// </summary>
    private async Task<HashSet<long>> QuietRoomsAsync(IReadOnlyList<UserMembership> memberships, long sinceEvents, CancellationToken cancellationToken)
    {
        var joined = memberships.Where(m => m.Membership == Memberships.Join && m.StreamOrdering <= sinceEvents).Select(m => m.RoomNid).ToList();
        var unknown = joined.Where(nid => !heads.TryGetRoom(nid, out _)).ToList();
        if (unknown.Count > 0)
        {
            foreach (var (roomNid, head) in await rooms.GetLatestStreamOrderingsAsync(unknown, cancellationToken))
            {
                heads.AdvanceRoom(roomNid, head);
            }
        }

        return [.. joined.Where(nid => heads.TryGetRoom(nid, out var head) && head <= sinceEvents)];
    }

    private static int TimelineLimit(RoomFilter? filter) => Math.Max(1, filter?.Timeline?.Limit ?? DefaultTimelineLimit);

    /// <summary>
    /// The timelines of the joined rooms shown: from memory when the writer's window of a room reaches back to the
    /// sync's start, otherwise in one read per starting point (rooms whose membership changed since start from the
    /// beginning); and the state at the start of each page that shows state, in two more.
    /// </summary>
    private async Task<RoomPrefetch> PrefetchAsync(IReadOnlyList<UserMembership> shown, long? sinceEvents, long upTo, int limit, bool fullState,
        Func<UserMembership, bool> reset, CancellationToken cancellationToken)
    {
        bool Incremental(UserMembership m) => sinceEvents is { } since && m.StreamOrdering <= since && !fullState && !reset(m);

        var timelines = new Dictionary<string, IReadOnlyList<RoomEvent>>(StringComparer.Ordinal);
        var unread = new List<UserMembership>();
        foreach (var membership in shown)
        {
            if (Incremental(membership) && recent.TryGet(membership.RoomNid, sinceEvents!.Value, upTo, limit + 1, out var held))
            {
                timelines[membership.RoomId] = held;
            }
            else
            {
                unread.Add(membership);
            }
        }

        foreach (var group in unread.GroupBy(m => Incremental(m) ? sinceEvents!.Value : 0))
        {
            var page = await rooms.GetLatestTimelinesAsync([.. group.Select(m => m.RoomNid)], group.Key, upTo, limit + 1, cancellationToken);
            foreach (var room in page.GroupBy(e => e.RoomId))
            {
                timelines[room.Key] = [.. room.OrderByDescending(e => e.StreamOrdering)];
            }
        }

        // An incremental sync shows state only for a room whose timeline is limited.
        var snapshots = shown
            .Select(m => (Membership: m, Page: timelines.GetValueOrDefault(m.RoomId) ?? []))
            .Where(r => r.Page.Count > 0 && (!Incremental(r.Membership) || r.Page.Count > limit))
            .Select(r => r.Page[Math.Min(limit, r.Page.Count) - 1].SnapshotNidBefore)
            .OfType<long>()
            .ToHashSet();
        return new RoomPrefetch(timelines, await rooms.GetStatesAsync(snapshots, cancellationToken));
    }

    private async Task<JsonObject?> JoinedRoomAsync(Session session, UserMembership membership, RoomPrefetch prefetch, long upTo, RoomFilter? filter, bool incremental,
        long since, IEnumerable<AccountDataEntry> accountData, CancellationToken cancellationToken)
    {
        var limit = TimelineLimit(filter);
        var page = prefetch.Timelines.GetValueOrDefault(membership.RoomId) ?? [];
        var limited = page.Count > limit;
        var newestFirst = limited ? page.Take(limit).ToList() : page.ToList();
        newestFirst.Reverse();
        var timeline = newestFirst;
        var roomAccountData = accountData.Select(ToEvent).ToList();
        if (incremental && timeline.Count == 0 && roomAccountData.Count == 0)
        {
            return null;
        }

        // Joined at or before the window's first event, the user was a member at every event in it (their join is
        // their latest membership): nothing for the visibility rules to hide, and no reads to find that out.
        var visibleToMember = timeline.Count == 0 || membership.StreamOrdering <= timeline[0].StreamOrdering
            ? timeline
            : await HistoryVisibility.FilterAsync(rooms, membership.RoomNid, session.UserId, timeline, cancellationToken);
        var visible = visibleToMember.Where(e => filter?.Timeline.Matches(e.Type, e.Sender) != false).ToList();
        IReadOnlyList<RoomEvent> state;
        IReadOnlyList<RoomEvent>? stateAtEnd = null;
        if (incremental && !limited)
        {
            state = [];
        }
        else
        {
            state = timeline.Count == 0 ? await rooms.GetCurrentStateAsync(membership.RoomNid, cancellationToken)
                : timeline[0].SnapshotNidBefore is { } snapshot && prefetch.States.TryGetValue(snapshot, out var prefetched) ? prefetched
                : await rooms.GetStateAsync(timeline[0].SnapshotNidBefore, cancellationToken);
            stateAtEnd = AfterTimeline(state, timeline);
            if (incremental)
            {
                // Only what changed in the gap the limited timeline skipped.
                state = [.. state.Where(s => s.StreamOrdering > since)];
            }
        }

        if (filter?.State?.LazyLoadMembers == true)
        {
            var senders = visible.Select(e => e.Sender).Append(session.UserId).ToHashSet(StringComparer.Ordinal);
            state = [.. state.Where(s => s.Type != EventTypes.Member || senders.Contains(s.StateKey!))];
        }

        state = [.. state.Where(s => filter?.State.Matches(s.Type, s.Sender) != false)];
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var room = new JsonObject
        {
            ["timeline"] = new JsonObject
            {
                ["events"] = new JsonArray([.. visible.Select(e => ClientEventFormat.Format(e, now, includeRoomId: false, session))]),
                ["limited"] = limited,
                ["prev_batch"] = PaginationToken.Format(timeline.Count > 0 ? timeline[0].StreamOrdering - 1 : upTo),
            },
            ["state"] = new JsonObject { ["events"] = new JsonArray([.. state.Select(e => ClientEventFormat.Format(e, now, includeRoomId: false))]) },
        };
        if (!incremental || timeline.Any(e => e.Type == EventTypes.Member))
        {
            room["summary"] = Summary(stateAtEnd ?? await rooms.GetCurrentStateAsync(membership.RoomNid, cancellationToken), session.UserId);
        }

        if (roomAccountData.Count > 0)
        {
            room["account_data"] = new JsonObject { ["events"] = new JsonArray([.. roomAccountData]) };
        }

        return room;
    }

    private async Task<JsonObject> LeftRoomAsync(Session session, UserMembership membership, long after, RoomFilter? filter, CancellationToken cancellationToken)
    {
        var limit = TimelineLimit(filter);
        var page = await rooms.GetTimelineAsync(membership.RoomNid, after, membership.StreamOrdering, limit, newestFirst: true, cancellationToken);
        var timeline = page.Reverse().ToList();
        var visible = await HistoryVisibility.FilterAsync(rooms, membership.RoomNid, session.UserId, timeline, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new JsonObject
        {
            ["timeline"] = new JsonObject
            {
                ["events"] = new JsonArray([.. visible.Select(e => ClientEventFormat.Format(e, now, includeRoomId: false, session))]),
                ["limited"] = page.Count == limit,
                ["prev_batch"] = PaginationToken.Format(timeline.Count > 0 ? timeline[0].StreamOrdering - 1 : membership.StreamOrdering),
            },
            ["state"] = new JsonObject { ["events"] = new JsonArray() },
        };
    }

    /// <summary>The room's heroes and member counts, for clients to name rooms that have no name.</summary>
    private static JsonObject Summary(IReadOnlyList<RoomEvent> state, string userId)
    {
        var members = state
            .Where(e => e.Type == EventTypes.Member)
            .Select(e => (UserId: e.StateKey!, Membership: RoomAccess.ContentString(e, "membership"), e.StreamOrdering))
            .ToList();
        return new JsonObject
        {
            ["m.heroes"] = new JsonArray([.. members.Where(m => m.UserId != userId && m.Membership is Memberships.Join or Memberships.Invite)
                .OrderBy(m => m.StreamOrdering).Take(5).Select(m => (JsonNode)m.UserId)]),
            ["m.joined_member_count"] = members.Count(m => m.Membership == Memberships.Join),
            ["m.invited_member_count"] = members.Count(m => m.Membership == Memberships.Invite),
        };
    }

    /// <summary>The state at the end of a timeline: the state at its start with its state events applied, which saves reading the current state again.</summary>
    private static List<RoomEvent> AfterTimeline(IReadOnlyList<RoomEvent> stateAtStart, IReadOnlyList<RoomEvent> timeline)
    {
        var state = stateAtStart.ToDictionary(e => (e.Type, e.StateKey!));
        foreach (var e in timeline.Where(e => e.StateKey is not null))
        {
            state[(e.Type, e.StateKey!)] = e;
        }

        return [.. state.Values];
    }

    private async Task<JsonArray> StrippedStateAsync(UserMembership membership, string userId, CancellationToken cancellationToken)
    {
        // An invite from another server to a room this server is not in carries the state the inviter chose to show.
        if (await rooms.GetEventAsync(membership.EventId, cancellationToken) is { } own
            && JsonNode.Parse(own.Json)?["unsigned"]?[RoomEventWriter.InviteRoomStateKey] is JsonArray given)
        {
            return [.. given.Where(e => e is JsonObject).Select(e => e!.DeepClone()), ClientEventFormat.Stripped(own)];
        }

        return StrippedState.Of(await rooms.GetCurrentStateAsync(membership.RoomNid, cancellationToken), userId);
    }

    private static JsonObject EmptyResponse(SyncToken token) => new() { ["next_batch"] = token.ToString() };

    private static JsonNode ToEvent(AccountDataEntry entry) =>
        new JsonObject { ["type"] = entry.Type, ["content"] = JsonNode.Parse(entry.ContentJson) };

    private static void AddIfAny(JsonObject target, string key, JsonObject value)
    {
        if (value.Count > 0)
        {
            target[key] = value;
        }
    }
}
