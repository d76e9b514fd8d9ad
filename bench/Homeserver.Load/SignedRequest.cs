namespace Homeserver.Load;

/// <summary>A federation request signed ahead of sending, so that signing stays out of the measured time.</summary>
internal sealed record SignedRequest(HttpMethod Method, Uri Uri, byte[]? Body, string Authorization);
