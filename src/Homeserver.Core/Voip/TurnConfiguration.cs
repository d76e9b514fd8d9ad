namespace Homeserver.Core.Voip;

/// <summary>The TURN servers clients use for calls, and the secret shared with them.</summary>
public sealed record TurnConfiguration(IReadOnlyList<string> Uris, string? SharedSecret, TimeSpan Lifetime);
