namespace Homeserver.Core.Keys;

/// <summary>
/// Who shares a room with a user: the users whose device-list changes that user is told about. The room engine
/// implements it over memberships.
/// </summary>
public interface ISharedRoomUsers
{
    /// <summary>The users sharing at least one room with <paramref name="userId"/>, always including the user.</summary>
    Task<IReadOnlySet<string>> UsersSharingRoomsWithAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="userIds"/> joined to a room that a local user is joined to.</summary>
    Task<IReadOnlySet<string>> SharingWithLocalUsersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>
    /// The users who may have started or stopped sharing a room with <paramref name="userId"/> between two positions
    /// of the event stream: those whose membership changed in a room the user is in or was in, and the members of
    /// the rooms the user joined or left. Candidates only: the caller compares them with who shares a room now.
    /// </summary>
    Task<RoomSharingChanges> SharingChangesAsync(string userId, long since, long upTo, CancellationToken cancellationToken);
}
