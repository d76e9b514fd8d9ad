namespace Homeserver.Core.Sync.Filters;

/// <summary>Whether an event passes a filter's type and sender lists; a type pattern may end in <c>*</c>.</summary>
public static class EventFilterMatch
{
    public static bool Matches(this EventFilter? filter, string type, string sender)
    {
        if (filter is null)
        {
            return true;
        }

        if (filter.NotSenders?.Contains(sender) == true || (filter.Senders is not null && !filter.Senders.Contains(sender)))
        {
            return false;
        }

        if (filter.NotTypes?.Any(p => TypeMatches(p, type)) == true)
        {
            return false;
        }

        return filter.Types is null || filter.Types.Any(p => TypeMatches(p, type));
    }

    public static bool MatchesRoom(this RoomFilter? filter, string roomId) =>
        filter is null || (filter.NotRooms?.Contains(roomId) != true && (filter.Rooms is null || filter.Rooms.Contains(roomId)));

    public static bool MatchesRoom(this RoomEventFilter? filter, string roomId) =>
        filter is null || (filter.NotRooms?.Contains(roomId) != true && (filter.Rooms is null || filter.Rooms.Contains(roomId)));

    private static bool TypeMatches(string pattern, string type) =>
        pattern.EndsWith('*') ? type.StartsWith(pattern[..^1], StringComparison.Ordinal) : pattern == type;
}
