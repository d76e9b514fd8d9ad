using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Media;

/// <summary>
/// The port for media of other servers (server-server API, "Content Repository"): fetches it into the content store
/// and records it, or says it cannot be had. The seam where federation plugs in.
/// </summary>
public interface IRemoteMediaSource
{
    /// <summary>The media, fetched and stored locally; null when the remote server does not have it or cannot be reached.</summary>
    Task<MediaRecord?> FetchAsync(ServerName origin, string mediaId, CancellationToken cancellationToken);
}
