using System.Text.Json.Nodes;

namespace Homeserver.Core.Keys;

/// <summary>The answer of <c>/keys/query</c>: maps keyed by user ID, and the servers that could not be asked.</summary>
public sealed record KeysQueryResult(
    JsonObject DeviceKeys,
    JsonObject MasterKeys,
    JsonObject SelfSigningKeys,
    JsonObject UserSigningKeys,
    JsonObject Failures);
