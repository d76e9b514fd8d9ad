namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// A room joined with its members left out of the state (server-server API, <c>send_join</c> with
/// <c>omit_members</c>): the join whose full state is still to be fetched, and the servers the resident server said
/// were in the room, which hear of its events until the members are known. <see cref="FirstSnapshotNid"/> is the
/// complete snapshot of the state before the join: that and every later snapshot of the room lack the members.
/// </summary>
public sealed record PartialState(string JoinEventId, IReadOnlyList<string> Servers, long FirstSnapshotNid);
