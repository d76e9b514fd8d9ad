using System.Text.Json.Nodes;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms;

/// <summary>
/// Which events of a room a user may see (client-server API, "History visibility"). The state at each event is
/// read from the room's state history in stream order, which matches the DAG for rooms whose history is linear.
/// </summary>
public static class HistoryVisibility
{
    public const string WorldReadable = "world_readable";
    public const string Shared = "shared";
    public const string Invited = "invited";
    public const string Joined = "joined";

    public static async Task<IReadOnlyList<RoomEvent>> FilterAsync(IRoomReadStore store, long roomNid, string userId, IReadOnlyList<RoomEvent> events,
        CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return events;
        }

        var visibilityHistory = await store.GetStateHistoryAsync(roomNid, [EventTypes.HistoryVisibility], "", cancellationToken);
        var membershipHistory = await store.GetStateHistoryAsync(roomNid, [EventTypes.Member], userId, cancellationToken);
        var current = membershipHistory.Count == 0 ? null : MembershipOf(membershipHistory[^1]);
        var visible = new List<RoomEvent>(events.Count);
        foreach (var e in events)
        {
            if (IsVisible(e, userId, current, visibilityHistory, membershipHistory))
            {
                visible.Add(e);
            }
        }

        return visible;
    }

    private static bool IsVisible(RoomEvent e, string userId, string? currentMembership, IReadOnlyList<RoomEvent> visibilityHistory,
        IReadOnlyList<RoomEvent> membershipHistory)
    {
        var visibility = Before(visibilityHistory, e.StreamOrdering) is { } hv ? RoomAccess.ContentString(hv, "history_visibility") ?? Shared : Shared;
        if (visibility == WorldReadable)
        {
            return true;
        }

        if (e.Type == EventTypes.Member && e.StateKey == userId)
        {
            // Users always see the events that change their own membership: their join, invite, kick or ban.
            return true;
        }

        var membership = Before(membershipHistory, e.StreamOrdering) is { } m ? MembershipOf(m) : null;
        return membership == Memberships.Join
               || (visibility == Shared && currentMembership == Memberships.Join)
               || (visibility == Invited && membership == Memberships.Invite);
    }

    private static RoomEvent? Before(IReadOnlyList<RoomEvent> history, long streamOrdering)
    {
        RoomEvent? last = null;
        foreach (var e in history)
        {
            if (e.StreamOrdering >= streamOrdering)
            {
                break;
            }

            last = e;
        }

        return last;
    }

    private static string? MembershipOf(RoomEvent e) => RoomAccess.ContentString(e, "membership");
}
