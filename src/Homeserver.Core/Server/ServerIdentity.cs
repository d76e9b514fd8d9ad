namespace Homeserver.Core.Server;

/// <summary>The server name this homeserver owns: the domain part of its users, rooms and events.</summary>
public sealed record ServerIdentity(string ServerName);
