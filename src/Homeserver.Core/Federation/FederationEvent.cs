namespace Homeserver.Core.Federation;

/// <summary>An event as federation hands it out: its ID and stored JSON.</summary>
public sealed record FederationEvent(string EventId, string Json);
