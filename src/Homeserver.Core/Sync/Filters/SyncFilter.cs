namespace Homeserver.Core.Sync.Filters;

/// <summary>A <c>/sync</c> filter (client-server API, "Filtering"), stored per user and referred to by ID.</summary>
public sealed record SyncFilter(
    IReadOnlyList<string>? EventFields = null,
    string? EventFormat = null,
    EventFilter? Presence = null,
    EventFilter? AccountData = null,
    RoomFilter? Room = null);
