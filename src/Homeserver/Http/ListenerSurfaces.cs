namespace Homeserver.Http;

/// <summary>
/// The API surfaces a listener serves, attached to each of its connections. Tagging connections (rather than
/// comparing port numbers) keeps working behind port 0 and when both surfaces share one port.
/// </summary>
internal sealed class ListenerSurfaces(IReadOnlySet<ApiSurface> surfaces)
{
    public IReadOnlySet<ApiSurface> Surfaces { get; } = surfaces;
}
