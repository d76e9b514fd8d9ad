using Homeserver.Protocol.Federation;

namespace Homeserver.Core.Federation;

/// <summary>The keys of other servers fetched before, kept across restarts.</summary>
public interface IServerKeyStore
{
    Task<IReadOnlyList<(string Server, PublishedKey Key)>> LoadAsync(IReadOnlyCollection<string> servers, CancellationToken cancellationToken);

    /// <summary>Adds the keys, replacing any stored under the same server and key ID.</summary>
    Task SaveAsync(string server, IReadOnlyList<PublishedKey> keys, CancellationToken cancellationToken);
}
