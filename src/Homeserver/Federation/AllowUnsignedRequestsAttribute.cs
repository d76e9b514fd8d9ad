namespace Homeserver.Federation;

/// <summary>Marks federation endpoints that any server may call without X-Matrix authentication (version, keys).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowUnsignedRequestsAttribute : Attribute;
