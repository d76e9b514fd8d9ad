using System.Text.Json.Nodes;

namespace Homeserver.Core.Keys;

/// <summary>The answer of <c>/keys/claim</c>: user ID → device ID → <c>algorithm:keyId</c> → key, and unreachable servers.</summary>
public sealed record KeysClaimResult(JsonObject OneTimeKeys, JsonObject Failures);
