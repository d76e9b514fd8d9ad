namespace Homeserver.Federation.Sending;

/// <summary>How the sender backs off from a destination that does not answer: doubling from the first delay up to the cap.</summary>
public sealed record FederationSenderOptions(TimeSpan FirstRetryDelay, TimeSpan MaxRetryDelay);
