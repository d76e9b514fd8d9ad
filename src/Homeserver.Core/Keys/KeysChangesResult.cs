namespace Homeserver.Core.Keys;

/// <summary>The answer of <c>/keys/changes</c>.</summary>
public sealed record KeysChangesResult(IReadOnlyList<string> Changed, IReadOnlyList<string> Left);
