using Homeserver.Core.Keys;

namespace Homeserver.Storage.Keys;

/// <summary>
/// Until rooms exist, a user shares a room with no one but themselves. The room engine replaces this with a query
/// of room_memberships (users joined to a room the user is joined to).
/// </summary>
internal sealed class SharedRoomUsers : ISharedRoomUsers
{
    public Task<IReadOnlySet<string>> UsersSharingRoomsWithAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal) { userId });
}
