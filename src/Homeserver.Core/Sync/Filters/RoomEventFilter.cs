namespace Homeserver.Core.Sync.Filters;

/// <summary>An <see cref="EventFilter"/> for room events, with the room-specific options.</summary>
public sealed record RoomEventFilter(
    int? Limit = null,
    IReadOnlyList<string>? NotSenders = null,
    IReadOnlyList<string>? NotTypes = null,
    IReadOnlyList<string>? Senders = null,
    IReadOnlyList<string>? Types = null,
    bool? LazyLoadMembers = null,
    bool? IncludeRedundantMembers = null,
    bool? UnreadThreadNotifications = null,
    IReadOnlyList<string>? NotRooms = null,
    IReadOnlyList<string>? Rooms = null,
    bool? ContainsUrl = null)
    : EventFilter(Limit, NotSenders, NotTypes, Senders, Types);
