namespace Homeserver.Protocol.Authorization;

/// <summary>The outcome of an auth check: allowed, or rejected with the rule that refused it.</summary>
public readonly record struct AuthorizationResult(bool IsAllowed, string? Reason)
{
    public static AuthorizationResult Allowed { get; } = new(true, null);

    public static AuthorizationResult Reject(string reason) => new(false, reason);

    /// <summary>Allowed when <paramref name="condition"/> holds, otherwise rejected with <paramref name="reason"/>.</summary>
    public static AuthorizationResult AllowIf(bool condition, string reason) => condition ? Allowed : Reject(reason);
}
