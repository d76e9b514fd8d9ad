using Homeserver.Core.Media;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Federation.Media;

/// <summary>
/// Remote media until federation exists: nothing can be fetched, so remote media not already cached is not found.
/// The federation client replaces it with one that calls <c>GET /_matrix/federation/v1/media/download/{mediaId}</c>.
/// </summary>
public sealed class UnavailableRemoteMediaSource : IRemoteMediaSource
{
    public Task<MediaRecord?> FetchAsync(ServerName origin, string mediaId, CancellationToken cancellationToken) => Task.FromResult<MediaRecord?>(null);
}
