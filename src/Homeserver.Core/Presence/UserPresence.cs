namespace Homeserver.Core.Presence;

/// <summary>A user's latest presence: <c>online</c>, <c>unavailable</c> or <c>offline</c>, and when they were last active.</summary>
public sealed record UserPresence(string UserId, string Presence, string? StatusMessage, long LastActiveTs);
