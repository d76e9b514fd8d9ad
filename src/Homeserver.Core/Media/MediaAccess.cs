namespace Homeserver.Core.Media;

/// <summary>Which family of endpoints asks for media: it decides whether the freeze of unauthenticated media applies.</summary>
public enum MediaAccess
{
    /// <summary><c>/_matrix/client/v1/media/…</c>, with an access token.</summary>
    Authenticated,

    /// <summary>The deprecated <c>/_matrix/media/v3/…</c> download and thumbnail endpoints.</summary>
    Unauthenticated,
}
