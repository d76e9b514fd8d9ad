using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>A queued write: one event into an existing room, or the initial events of a new room (then with its rules).</summary>
internal sealed record WriteRequest(IReadOnlyList<EventDraft> Drafts, RoomVersionRules? NewRoomRules)
{
    public TaskCompletionSource<WriteResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
