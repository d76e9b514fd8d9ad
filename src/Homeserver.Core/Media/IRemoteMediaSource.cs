using Homeserver.Core.Federation;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Media;

/// <summary>
/// The port for media of other servers (server-server API, "Content Repository"): opens the content as the origin
/// serves it, for <see cref="MediaService"/> to store under its own limits and record. The seam where federation
/// plugs in.
/// </summary>
public interface IRemoteMediaSource
{
    /// <summary>The content, its body not read yet; null when the origin says it has no such media.</summary>
    /// <exception cref="FederationException">
    /// The origin could not be reached, answered with an error, or with something that is not media. Reading the
    /// returned content throws it too when the transfer breaks off, times out or turns out malformed.
    /// </exception>
    Task<RemoteMediaContent?> OpenAsync(ServerName origin, string mediaId, CancellationToken cancellationToken);
}
