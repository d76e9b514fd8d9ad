namespace Homeserver.Core.Federation;

/// <summary>One queued item for a destination: a PDU (its stored JSON) or an EDU.</summary>
public sealed record OutboxItem(long Position, string? PduJson, string? EduJson);
