namespace Homeserver.Core.Sync.Filters;

public sealed record RoomFilter(
    IReadOnlyList<string>? NotRooms = null,
    IReadOnlyList<string>? Rooms = null,
    RoomEventFilter? Ephemeral = null,
    bool? IncludeLeave = null,
    RoomEventFilter? State = null,
    RoomEventFilter? Timeline = null,
    RoomEventFilter? AccountData = null);
