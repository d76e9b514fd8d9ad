namespace Homeserver.Core.Authentication;

/// <summary>How long access tokens last for clients that can refresh them; others get tokens that do not expire.</summary>
public sealed record SessionPolicy(TimeSpan RefreshableTokenLifetime);
