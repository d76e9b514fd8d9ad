namespace Homeserver.Core.UserDirectory;

/// <summary>Whether the user directory shows every local user (<c>Homeserver:UserDirectory:SearchAllUsers</c>).</summary>
public sealed record UserDirectoryPolicy(bool SearchAllUsers);
