namespace Homeserver.Http;

/// <summary>The <c>{}</c> body of endpoints that answer nothing but success.</summary>
public sealed record EmptyResponse
{
    public static EmptyResponse Instance { get; } = new();
}
