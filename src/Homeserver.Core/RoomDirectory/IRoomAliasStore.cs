namespace Homeserver.Core.RoomDirectory;

/// <summary>The port for local room aliases and the public room directory's visibility flag.</summary>
public interface IRoomAliasStore
{
    Task<(string RoomId, string Creator)?> GetAsync(string alias, CancellationToken cancellationToken);

    /// <returns>False when the alias is taken.</returns>
    Task<bool> AddAsync(string alias, string roomId, string creator, CancellationToken cancellationToken);

    Task RemoveAsync(string alias, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> GetAliasesAsync(string roomId, CancellationToken cancellationToken);

    Task SetPublicAsync(string roomId, bool isPublic, CancellationToken cancellationToken);
}
