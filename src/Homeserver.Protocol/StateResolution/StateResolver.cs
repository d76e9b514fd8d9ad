using System.Security.Cryptography;
using System.Text;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.PowerLevels;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.StateResolution;

/// <summary>
/// Room state resolution: the state of a room where its history forks (rooms/v1.md; rooms/v2.md "State
/// resolution" for versions 2–11; rooms/v12.md for "v2.1"). A pure function over the state sets and an event lookup,
/// which is called only for the events the algorithm needs.
/// </summary>
public static class StateResolver
{
    /// <param name="stateSets">The states to resolve, one per fork (e.g. the state after each prev event).</param>
    /// <param name="fetchEvent">Returns an event by ID, or null when it is not known.</param>
    /// <param name="authChains">
    /// The full auth chain of each state set (including the set's own events), when the store can compute them
    /// cheaply; otherwise they are computed by walking <c>auth_events</c> through <paramref name="fetchEvent"/>.
    /// </param>
    public static StateResolutionResult Resolve(RoomVersionRules rules, IReadOnlyList<IReadOnlyDictionary<StateKey, string>> stateSets,
        Func<string, Pdu?> fetchEvent, IReadOnlyList<IReadOnlySet<string>>? authChains = null)
    {
        if (stateSets.Count == 0)
        {
            return StateResolutionResult.Resolved(new Dictionary<StateKey, string>());
        }

        var (unconflicted, conflicted) = Split(stateSets);
        if (conflicted.Count == 0)
        {
            return StateResolutionResult.Resolved(unconflicted);
        }

        var events = new EventCache(fetchEvent);
        try
        {
            var resolved = rules.StateResolution == StateResolutionAlgorithm.V1
                ? ResolveV1(rules, unconflicted, conflicted, events)
                : ResolveV2(rules, stateSets, unconflicted, conflicted, events, authChains);
            return StateResolutionResult.Resolved(resolved);
        }
        catch (MissingEventException e)
        {
            return StateResolutionResult.Missing(e.EventId);
        }
    }

    /// <summary>Keys with one value in every set are unconflicted; every value of any other key is conflicted.</summary>
    private static (Dictionary<StateKey, string> Unconflicted, Dictionary<StateKey, HashSet<string>> Conflicted) Split(
        IReadOnlyList<IReadOnlyDictionary<StateKey, string>> stateSets)
    {
        var unconflicted = new Dictionary<StateKey, string>();
        var conflicted = new Dictionary<StateKey, HashSet<string>>();
        foreach (var key in stateSets.SelectMany(s => s.Keys).Distinct())
        {
            var values = new HashSet<string>(StringComparer.Ordinal);
            var inEverySet = true;
            foreach (var set in stateSets)
            {
                if (set.TryGetValue(key, out var value))
                {
                    values.Add(value);
                }
                else
                {
                    inEverySet = false;
                }
            }

            if (inEverySet && values.Count == 1)
            {
                unconflicted[key] = values.First();
            }
            else
            {
                conflicted[key] = values;
            }
        }

        return (unconflicted, conflicted);
    }

    private static Dictionary<StateKey, string> ResolveV2(RoomVersionRules rules, IReadOnlyList<IReadOnlyDictionary<StateKey, string>> stateSets,
        Dictionary<StateKey, string> unconflicted, Dictionary<StateKey, HashSet<string>> conflicted, EventCache events,
        IReadOnlyList<IReadOnlySet<string>>? authChains)
    {
        var conflictedEvents = conflicted.Values.SelectMany(v => v).ToHashSet(StringComparer.Ordinal);
        foreach (var id in conflictedEvents)
        {
            // A conflicted event we do not have cannot be resolved away: the caller must fetch it first.
            events.Get(id);
        }

        // Full conflicted set: the conflicted events, the auth difference and (v2.1) the conflicted state subgraph.
        var fullConflicted = new HashSet<string>(conflictedEvents, StringComparer.Ordinal);
        fullConflicted.UnionWith(AuthDifference(stateSets, events, authChains));
        if (rules.StateResolution == StateResolutionAlgorithm.V21)
        {
            fullConflicted.UnionWith(ConflictedSubgraph(conflictedEvents, events));
        }

        // Auth chain events we do not have (beyond our copy of the room's history) cannot take part.
        fullConflicted.RemoveWhere(id => events.TryGet(id) is null);

        // Step 1: the power events and the parts of their auth chains in the full conflicted set.
        var powerEvents = fullConflicted.Where(id => IsPowerEvent(events.Get(id))).ToList();
        var powerSet = AuthChainWithin(powerEvents, fullConflicted, events);
        powerSet.UnionWith(powerEvents);
        var sortedPower = ReverseTopologicalPowerOrder(rules, powerSet, events);

        // Step 2: from the unconflicted state (v2) or from nothing (v2.1).
        var start = rules.StateResolution == StateResolutionAlgorithm.V21 ? [] : new Dictionary<StateKey, string>(unconflicted);
        var partial = IterativeAuthChecks(rules, start, sortedPower, events);

        // Steps 3 and 4: everything else, in mainline order of the power levels resolved so far.
        var others = fullConflicted.Where(id => !powerSet.Contains(id)).ToList();
        var sortedOthers = MainlineOrder(partial.GetValueOrDefault(new StateKey(EventTypes.PowerLevels, "")), others, events);
        var resolved = IterativeAuthChecks(rules, partial, sortedOthers, events);

        // Step 5: the unconflicted state wins.
        foreach (var (key, value) in unconflicted)
        {
            resolved[key] = value;
        }

        return resolved;
    }

    /// <summary>
    /// ∪ Cᵢ − ∩ Cᵢ over the full auth chains of the state sets. Following Synapse and Ruma, the auth chain of a state
    /// set includes the set's own events (rooms/v2.md, "Auth difference").
    /// </summary>
    private static HashSet<string> AuthDifference(IReadOnlyList<IReadOnlyDictionary<StateKey, string>> stateSets, EventCache events,
        IReadOnlyList<IReadOnlySet<string>>? authChains)
    {
        var chains = authChains ?? stateSets.Select(set => (IReadOnlySet<string>)FullAuthChain(set.Values, events)).ToList();
        var union = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chain in chains)
        {
            union.UnionWith(chain);
        }

        var intersection = new HashSet<string>(chains[0], StringComparer.Ordinal);
        foreach (var chain in chains.Skip(1))
        {
            intersection.IntersectWith(chain);
        }

        union.ExceptWith(intersection);
        return union;
    }

    /// <summary>The given events and everything reachable from them through <c>auth_events</c>.</summary>
    private static HashSet<string> FullAuthChain(IEnumerable<string> from, EventCache events)
    {
        var chain = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(from);
        while (pending.TryPop(out var id))
        {
            if (chain.Add(id) && events.TryGet(id) is { } pdu)
            {
                foreach (var authId in pdu.AuthEvents)
                {
                    pending.Push(authId);
                }
            }
        }

        return chain;
    }

    /// <summary>The members of <paramref name="within"/> in the auth chains of <paramref name="from"/> (not counting the starting events).</summary>
    private static HashSet<string> AuthChainWithin(IEnumerable<string> from, HashSet<string> within, EventCache events)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(from.SelectMany(id => events.Get(id).AuthEvents));
        while (pending.TryPop(out var id))
        {
            if (!visited.Add(id))
            {
                continue;
            }

            if (within.Contains(id))
            {
                found.Add(id);
            }

            if (events.TryGet(id) is { } pdu)
            {
                foreach (var authId in pdu.AuthEvents)
                {
                    pending.Push(authId);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// v2.1: every event on an <c>auth_events</c> path from one conflicted event to another (rooms/v12.md,
    /// "Conflicted state subgraph"): ancestors of a conflicted event that themselves have a conflicted ancestor.
    /// </summary>
    private static HashSet<string> ConflictedSubgraph(HashSet<string> conflicted, EventCache events)
    {
        var leadsToConflicted = new Dictionary<string, bool>(StringComparer.Ordinal);
        var subgraph = new HashSet<string>(StringComparer.Ordinal);

        bool LeadsToConflicted(string id)
        {
            // Iterative post-order walk: auth chains can be deep enough to overflow a recursive one.
            var stack = new Stack<(string Id, bool Expanded)>();
            stack.Push((id, false));
            while (stack.TryPop(out var item))
            {
                if (leadsToConflicted.ContainsKey(item.Id))
                {
                    continue;
                }

                var parents = events.TryGet(item.Id)?.AuthEvents ?? [];
                if (!item.Expanded)
                {
                    stack.Push((item.Id, true));
                    foreach (var parent in parents)
                    {
                        if (!leadsToConflicted.ContainsKey(parent))
                        {
                            stack.Push((parent, false));
                        }
                    }
                }
                else
                {
                    leadsToConflicted[item.Id] = parents.Any(p => conflicted.Contains(p) || leadsToConflicted.GetValueOrDefault(p));
                }
            }

            return leadsToConflicted[id];
        }

        foreach (var start in conflicted)
        {
            foreach (var parent in events.TryGet(start)?.AuthEvents ?? [])
            {
                var pending = new Stack<string>();
                pending.Push(parent);
                while (pending.TryPop(out var id))
                {
                    if (subgraph.Contains(id) || !(conflicted.Contains(id) || LeadsToConflicted(id)))
                    {
                        continue;
                    }

                    subgraph.Add(id);
                    foreach (var next in events.TryGet(id)?.AuthEvents ?? [])
                    {
                        pending.Push(next);
                    }
                }
            }
        }

        return subgraph;
    }

    private static bool IsPowerEvent(Pdu pdu)
    {
        if (!pdu.IsState)
        {
            return false;
        }

        // The spec's power events, plus the create event, which Synapse and Ruma also count as one (rooms/v2.md,
        // "Power events"); it is in every auth chain, so this only matters for forked create events.
        if (pdu.Type is EventTypes.PowerLevels or EventTypes.JoinRules || pdu.Type == EventTypes.Create)
        {
            return true;
        }

        return pdu.Type == EventTypes.Member && pdu.StateKey != pdu.Sender
            && pdu.Content["membership"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
            && pdu.Content["membership"]!.GetValue<string>() is Memberships.Leave or Memberships.Ban;
    }

    /// <summary>
    /// Kahn's algorithm over the <c>auth_events</c> links among <paramref name="set"/>, always taking the smallest
    /// ready event: higher sender power first, then earlier <c>origin_server_ts</c>, then the smaller event ID.
    /// Following Synapse and Ruma, the graph uses only direct links between members of the set (rooms/v2.md,
    /// "Reverse topological power ordering").
    /// </summary>
    private static List<string> ReverseTopologicalPowerOrder(RoomVersionRules rules, HashSet<string> set, EventCache events)
    {
        var waitingOn = new Dictionary<string, int>(StringComparer.Ordinal);
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var id in set)
        {
            var parents = events.Get(id).AuthEvents.Where(set.Contains).Distinct(StringComparer.Ordinal).ToList();
            waitingOn[id] = parents.Count;
            foreach (var parent in parents)
            {
                if (!dependents.TryGetValue(parent, out var list))
                {
                    dependents[parent] = list = [];
                }

                list.Add(id);
            }
        }

        var ready = new PriorityQueue<string, (long NegatedPower, long Ts, string Id)>(
            Comparer<(long NegatedPower, long Ts, string Id)>.Create((a, b) =>
            {
                var byPower = a.NegatedPower.CompareTo(b.NegatedPower);
                if (byPower != 0)
                {
                    return byPower;
                }

                var byTs = a.Ts.CompareTo(b.Ts);
                return byTs != 0 ? byTs : string.CompareOrdinal(a.Id, b.Id);
            }));

        (long, long, string) Priority(string id)
        {
            var pdu = events.Get(id);
            var level = SenderPowerFromAuthEvents(rules, pdu, events);
            return (-level, pdu.OriginServerTs, id);
        }

        foreach (var (id, count) in waitingOn)
        {
            if (count == 0)
            {
                ready.Enqueue(id, Priority(id));
            }
        }

        var ordered = new List<string>(set.Count);
        while (ready.TryDequeue(out var id, out _))
        {
            ordered.Add(id);
            foreach (var dependent in dependents.GetValueOrDefault(id) ?? [])
            {
                if (--waitingOn[dependent] == 0)
                {
                    ready.Enqueue(dependent, Priority(dependent));
                }
            }
        }

        return ordered;
    }

    /// <summary>The sender's power level according to the power levels (and create event) among its own auth events.</summary>
    private static long SenderPowerFromAuthEvents(RoomVersionRules rules, Pdu pdu, EventCache events)
    {
        Pdu? powerLevels = null;
        Pdu? create = null;
        foreach (var authId in pdu.AuthEvents)
        {
            var authEvent = events.TryGet(authId);
            if (authEvent?.Type == EventTypes.PowerLevels && authEvent.StateKey == "")
            {
                powerLevels = authEvent;
            }
            else if (authEvent?.Type == EventTypes.Create && authEvent.StateKey == "")
            {
                create = authEvent;
            }
        }

        if (create is null && rules.Authorization.RoomCreateEventIdAsRoomId && pdu.RoomId is { Length: > 1 } roomId)
        {
            create = events.TryGet("$" + roomId[1..]);
        }

        if (pdu.Type == EventTypes.Create)
        {
            create = pdu;
        }

        return RoomPowerLevels.From(powerLevels, create, rules).UserLevel(pdu.Sender);
    }

    /// <summary>
    /// Applies each event whose auth rules pass against the state built so far; keys the state lacks are taken from
    /// the event's own auth events (rooms/v2.md, "Iterative auth checks").
    /// </summary>
    private static Dictionary<StateKey, string> IterativeAuthChecks(RoomVersionRules rules, Dictionary<StateKey, string> start,
        List<string> ordered, EventCache events)
    {
        var state = new Dictionary<StateKey, string>(start);
        foreach (var id in ordered)
        {
            var pdu = events.Get(id);
            if (pdu.StateKeyPair is not { } key)
            {
                continue;
            }

            var ownAuth = new Dictionary<StateKey, Pdu>();
            foreach (var authId in pdu.AuthEvents)
            {
                if (events.TryGet(authId) is { StateKeyPair: { } authKey } authEvent)
                {
                    ownAuth[authKey] = authEvent;
                }
            }

            if (rules.Authorization.RoomCreateEventIdAsRoomId && pdu.RoomId is { Length: > 1 } roomId
                && events.TryGet("$" + roomId[1..]) is { } create)
            {
                ownAuth.TryAdd(new StateKey(EventTypes.Create, ""), create);
            }

            Pdu? Lookup(StateKey k) => state.TryGetValue(k, out var stateId) ? events.TryGet(stateId) : ownAuth.GetValueOrDefault(k);
            if (EventAuthorizer.Authorize(rules, pdu, Lookup).IsAllowed)
            {
                state[key] = id;
            }
        }

        return state;
    }

    /// <summary>Sorts events by the position of their power-levels ancestry on the mainline of <paramref name="powerLevelsId"/>.</summary>
    private static List<string> MainlineOrder(string? powerLevelsId, List<string> ids, EventCache events)
    {
        // Position counted from the oldest power-levels event, so a larger number is a later mainline event;
        // events whose power-levels ancestry never meets the mainline sort first (position 0).
        var mainline = new List<string>();
        for (var current = powerLevelsId; current is not null; current = PowerLevelsAuthEvent(events.Get(current), events))
        {
            mainline.Add(current);
        }

        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < mainline.Count; i++)
        {
            position[mainline[i]] = mainline.Count - i;
        }

        int MainlinePosition(string id)
        {
            for (var current = PowerLevelsAuthEvent(events.Get(id), events); current is not null; current = PowerLevelsAuthEvent(events.Get(current), events))
            {
                if (position.TryGetValue(current, out var p))
                {
                    return p;
                }
            }

            return 0;
        }

        return ids
            .Select(id => (Id: id, Position: MainlinePosition(id), Ts: events.Get(id).OriginServerTs))
            .OrderBy(e => e.Position)
            .ThenBy(e => e.Ts)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .Select(e => e.Id)
            .ToList();
    }

    private static string? PowerLevelsAuthEvent(Pdu pdu, EventCache events) =>
        pdu.AuthEvents.FirstOrDefault(id => events.TryGet(id) is { Type: EventTypes.PowerLevels, StateKey: "" });

    /// <summary>
    /// Room version 1 (rooms/v1.md, "State resolution"): power levels, then join rules, then memberships are settled
    /// by applying their conflicting events in order of depth while the auth rules allow; any other key takes the
    /// deepest event that passes.
    /// </summary>
    private static Dictionary<StateKey, string> ResolveV1(RoomVersionRules rules, Dictionary<StateKey, string> unconflicted,
        Dictionary<StateKey, HashSet<string>> conflicted, EventCache events)
    {
        var resolved = new Dictionary<StateKey, string>(unconflicted);
        Pdu? Lookup(StateKey k) => resolved.TryGetValue(k, out var id) ? events.Get(id) : null;

        foreach (var type in (string[])[EventTypes.PowerLevels, EventTypes.JoinRules, EventTypes.Member])
        {
            foreach (var (key, ids) in conflicted.Where(c => c.Key.Type == type).OrderBy(c => c.Key.Key, StringComparer.Ordinal))
            {
                var ordered = ids.Select(events.Get).OrderBy(e => e.Depth).ThenByDescending(e => Sha1Hex(e.EventId), StringComparer.Ordinal).ToList();
                resolved[key] = ordered[0].EventId;
                foreach (var candidate in ordered.Skip(1))
                {
                    if (!EventAuthorizer.Authorize(rules, candidate, Lookup).IsAllowed)
                    {
                        break;
                    }

                    resolved[key] = candidate.EventId;
                }
            }
        }

        foreach (var (key, ids) in conflicted.Where(c => c.Key.Type is not (EventTypes.PowerLevels or EventTypes.JoinRules or EventTypes.Member)))
        {
            var winner = ids.Select(events.Get)
                .OrderByDescending(e => e.Depth).ThenBy(e => Sha1Hex(e.EventId), StringComparer.Ordinal)
                .FirstOrDefault(e => EventAuthorizer.Authorize(rules, e, Lookup).IsAllowed);
            if (winner is not null)
            {
                resolved[key] = winner.EventId;
            }
        }

        return resolved;
    }

    private static string Sha1Hex(string eventId) =>
#pragma warning disable CA5350 // Room version 1 defines its tie-break with SHA-1; it is not used for security.
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(eventId)));
#pragma warning restore CA5350
}
