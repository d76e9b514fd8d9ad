namespace Homeserver.Core.Sync;

/// <summary>The query parameters of <c>GET /sync</c>.</summary>
public sealed record SyncRequest(string? Since, long? TimeoutMs, string? Filter, bool FullState, string? SetPresence);
