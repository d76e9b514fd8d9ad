namespace Homeserver.Core.Keys;

/// <summary>
/// Users who may share a room with someone since a point in the event stream (<paramref name="Joined"/>: a join on
/// their side or the other's) and who may no longer (<paramref name="Left"/>).
/// </summary>
public sealed record RoomSharingChanges(IReadOnlySet<string> Joined, IReadOnlySet<string> Left);
