using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Server;

/// <summary>The server name this homeserver owns: the domain part of its users, rooms and events.</summary>
public sealed record ServerIdentity(string ServerName)
{
    /// <summary>Whether the user ID is one of this server's users.</summary>
    public bool IsLocal(string userId) => UserId.TryParse(userId, out var id) && id.Server.Value == ServerName;
}
