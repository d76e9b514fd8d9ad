using Homeserver.Core.RoomDirectory;
using Homeserver.Core.Rooms.Engine;

namespace Homeserver.Core.Rooms;

/// <summary>The port through which room history, state and memberships are read.</summary>
public interface IRoomReadStore
{
    Task<RoomSummary?> GetRoomAsync(string roomId, CancellationToken cancellationToken);

    Task<IReadOnlyList<UserMembership>> GetMembershipsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The newest stream position of the events of each room that has any, in one read.</summary>
    Task<IReadOnlyDictionary<long, long>> GetLatestStreamOrderingsAsync(IReadOnlyCollection<long> roomNids, CancellationToken cancellationToken);

    /// <summary>Whether any user of the server is joined to the room (the server is "resident" in it).</summary>
    Task<bool> IsJoinedByServerAsync(long roomNid, string serverName, CancellationToken cancellationToken);

    /// <summary>Whether the room was joined with partial state that is not complete yet.</summary>
    Task<bool> IsPartialStateAsync(long roomNid, CancellationToken cancellationToken);

    Task<RoomEvent?> GetEventAsync(string eventId, CancellationToken cancellationToken);

    Task<IReadOnlyList<RoomEvent>> GetCurrentStateAsync(long roomNid, CancellationToken cancellationToken);

    Task<RoomEvent?> GetCurrentStateEventAsync(long roomNid, string type, string stateKey, CancellationToken cancellationToken);

    /// <summary>The room state in a snapshot (the state before an event): the delta chain folded into one state.</summary>
    Task<IReadOnlyList<RoomEvent>> GetStateAsync(long? snapshotNid, CancellationToken cancellationToken);

    /// <summary>The state of each snapshot, as <see cref="GetStateAsync"/> gives it, for many snapshots in two reads.</summary>
    Task<IReadOnlyDictionary<long, IReadOnlyList<RoomEvent>>> GetStatesAsync(IReadOnlyCollection<long> snapshotNids, CancellationToken cancellationToken);

    /// <summary>
    /// The newest <paramref name="limit"/> timeline events of each room with stream positions in
    /// (<paramref name="after"/>, <paramref name="upTo"/>], newest first, for many rooms in one read.
    /// </summary>
    Task<IReadOnlyList<RoomEvent>> GetLatestTimelinesAsync(IReadOnlyCollection<long> roomNids, long after, long upTo, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Timeline events with stream positions in (<paramref name="after"/>, <paramref name="upTo"/>]: the first
    /// <paramref name="limit"/> of them, or with <paramref name="newestFirst"/> the last ones, newest first.
    /// </summary>
    Task<IReadOnlyList<RoomEvent>> GetTimelineAsync(long roomNid, long after, long upTo, int limit, bool newestFirst, CancellationToken cancellationToken);

    /// <summary>The state events of the given types in the room's timeline (every version, not only the current).</summary>
    Task<IReadOnlyList<RoomEvent>> GetStateHistoryAsync(long roomNid, IReadOnlyCollection<string> types, string? stateKey, CancellationToken cancellationToken);

    /// <summary>
    /// Rooms as a directory lists them: those of <paramref name="roomIds"/> known here (or, when null, those published
    /// in the room directory), each with its joined members and its current state events of
    /// <paramref name="stateTypes"/>, whatever their state keys.
    /// </summary>
    Task<IReadOnlyList<RoomListing>> GetRoomListingsAsync(IReadOnlyCollection<string>? roomIds, IReadOnlyCollection<string> stateTypes, CancellationToken cancellationToken);

    /// <summary>
    /// The timeline event whose <c>origin_server_ts</c> is closest to <paramref name="timestamp"/>, at or after it
    /// when <paramref name="forwards"/>, else at or before it.
    /// </summary>
    Task<(string EventId, long OriginServerTs)?> GetClosestEventAsync(long roomNid, long timestamp, bool forwards, CancellationToken cancellationToken);

    Task SetForgottenAsync(long roomNid, string userId, CancellationToken cancellationToken);
}
