namespace Homeserver.Client.Authentication;

/// <summary>The spec's identifier object; only <c>m.id.user</c> is served so far.</summary>
public sealed record UserIdentifier(string Type, string? User = null);
