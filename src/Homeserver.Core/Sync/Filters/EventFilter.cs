namespace Homeserver.Core.Sync.Filters;

/// <summary>Which events of a kind to return (client-server API, "Filtering": <c>EventFilter</c>).</summary>
public record EventFilter(
    int? Limit = null,
    IReadOnlyList<string>? NotSenders = null,
    IReadOnlyList<string>? NotTypes = null,
    IReadOnlyList<string>? Senders = null,
    IReadOnlyList<string>? Types = null);
