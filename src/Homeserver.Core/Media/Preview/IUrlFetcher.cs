namespace Homeserver.Core.Media.Preview;

/// <summary>
/// The port for fetching web pages and images for URL previews. The adapter owns the defence against server-side
/// request forgery: it resolves every host itself and refuses to connect to any address the administrator has not
/// allowed, including after redirects.
/// </summary>
public interface IUrlFetcher
{
    Task<FetchResult> FetchAsync(Uri url, long maxBytes, CancellationToken cancellationToken);
}
