using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// A queued write: local drafts for an existing room, the initial events of a new room (then with its rules), events
/// received over federation, a room joined through another server, or an event template to hand out.
/// </summary>
internal sealed record WriteRequest(IReadOnlyList<EventDraft> Drafts, RoomVersionRules? NewRoomRules)
{
    public RemoteEvents? Remote { get; init; }

    public RoomImport? Import { get; init; }

    public OutlierMembership? Outlier { get; init; }

    public RoomStateCompletion? StateCompletion { get; init; }

    /// <summary>History fetched with <c>/backfill</c>, to place below the oldest event of the timeline.</summary>
    public RemoteEvents? Backfill { get; init; }

    /// <summary>A draft to complete without signing or committing (<c>make_join</c> and friends).</summary>
    public bool TemplateOnly { get; init; }

    public TaskCompletionSource<WriteResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
