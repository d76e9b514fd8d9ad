using Homeserver.Core.Rooms;

namespace Homeserver.Core.Sync;

/// <summary>
/// What a sync reads for all the joined rooms it shows at once, rather than room by room: each room's timeline page
/// (newest first) and the state at the start of each page that needs it, by snapshot.
/// </summary>
internal sealed record RoomPrefetch(IReadOnlyDictionary<string, IReadOnlyList<RoomEvent>> Timelines, IReadOnlyDictionary<long, IReadOnlyList<RoomEvent>> States);
