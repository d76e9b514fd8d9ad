namespace Homeserver.Configuration;

public sealed class UserDirectoryOptions
{
    /// <summary>Show every local user in searches, not only those who share a room with the searcher.</summary>
    public bool SearchAllUsers { get; set; }
}
