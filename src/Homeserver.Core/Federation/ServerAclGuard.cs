using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Federation;

namespace Homeserver.Core.Federation;

/// <summary>Applies a room's <c>m.room.server_acl</c> to the server making a request about the room.</summary>
public sealed class ServerAclGuard(IRoomReadStore rooms)
{
    public async Task<bool> IsDeniedAsync(RoomSummary room, string origin, CancellationToken cancellationToken) =>
        await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.ServerAcl, "", cancellationToken) is { } acl
        && JsonNode.Parse(acl.Json)?["content"] is JsonObject content
        && !ServerAcl.Allows(content, origin);

    /// <exception cref="MatrixException">403 when the room's ACL denies the server.</exception>
    public async Task RequireAllowedAsync(RoomSummary room, string origin, CancellationToken cancellationToken)
    {
        if (await IsDeniedAsync(room, origin, cancellationToken))
        {
            throw MatrixException.Forbidden("Your server is denied by the room's server ACL");
        }
    }
}
