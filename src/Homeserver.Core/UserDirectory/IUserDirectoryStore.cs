namespace Homeserver.Core.UserDirectory;

/// <summary>The port for searching local users.</summary>
public interface IUserDirectoryStore
{
    /// <summary>Active local users whose user ID or display name contains <paramref name="term"/> (any case), by user ID.</summary>
    Task<IReadOnlyList<DirectoryUser>> SearchLocalUsersAsync(string term, int limit, CancellationToken cancellationToken);
}
