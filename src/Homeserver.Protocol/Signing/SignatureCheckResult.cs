namespace Homeserver.Protocol.Signing;

/// <summary>Whether an event carries every signature it needs, and if not, whose is missing.</summary>
public readonly record struct SignatureCheckResult(bool IsValid, string? Reason)
{
    public static SignatureCheckResult Valid { get; } = new(true, null);

    public static SignatureCheckResult Invalid(string reason) => new(false, reason);
}
