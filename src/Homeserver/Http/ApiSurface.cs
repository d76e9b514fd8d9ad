namespace Homeserver.Http;

/// <summary>Which listener an endpoint belongs to: the client-server API or the server-server API.</summary>
public enum ApiSurface
{
    Client,
    Federation,
}
