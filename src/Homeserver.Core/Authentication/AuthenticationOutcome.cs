namespace Homeserver.Core.Authentication;

/// <summary>The session of a valid token, or why there is none: unknown, or expired (a "soft logout").</summary>
public sealed record AuthenticationOutcome(Session? Session, bool Expired);
