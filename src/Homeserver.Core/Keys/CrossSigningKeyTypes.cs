namespace Homeserver.Core.Keys;

/// <summary>The <c>usage</c> values of cross-signing keys (client-server API, "Cross-signing").</summary>
public static class CrossSigningKeyTypes
{
    public const string Master = "master";
    public const string SelfSigning = "self_signing";
    public const string UserSigning = "user_signing";
}
