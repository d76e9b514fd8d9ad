namespace Homeserver.Http;

/// <summary>Marks the endpoints of a controller as served only on the listener of one API surface.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ApiSurfaceAttribute(ApiSurface surface) : Attribute
{
    public ApiSurface Surface { get; } = surface;
}
