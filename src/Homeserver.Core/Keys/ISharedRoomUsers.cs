namespace Homeserver.Core.Keys;

/// <summary>
/// Who shares a room with a user: the users whose device-list changes that user is told about. The room engine
/// implements it over memberships.
/// </summary>
public interface ISharedRoomUsers
{
    /// <summary>The users sharing at least one room with <paramref name="userId"/>, always including the user.</summary>
    Task<IReadOnlySet<string>> UsersSharingRoomsWithAsync(string userId, CancellationToken cancellationToken);
}
