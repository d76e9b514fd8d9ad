namespace Homeserver.Core.Media;

/// <summary>Which family of endpoints asks for media: it decides whether the freeze of unauthenticated media applies and whether remote media is served.</summary>
public enum MediaAccess
{
    /// <summary><c>/_matrix/client/v1/media/…</c>, with an access token.</summary>
    Authenticated,

    /// <summary>The deprecated <c>/_matrix/media/v3/…</c> download and thumbnail endpoints.</summary>
    Unauthenticated,

    /// <summary>
    /// <c>/_matrix/federation/v1/media/…</c>, signed by another server: only this server's own media, never fetched
    /// onward from a third server.
    /// </summary>
    Federation,
}
