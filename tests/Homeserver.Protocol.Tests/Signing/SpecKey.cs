using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;

namespace Homeserver.Protocol.Tests.Signing;

/// <summary>The key of the appendices' "Cryptographic Test Vectors": server "domain", key ed25519:1.</summary>
internal static class SpecKey
{
    public const string Server = "domain";

    public static SigningKey Create() => SigningKey.FromSeed("1", UnpaddedBase64.Decode("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1"));
}
