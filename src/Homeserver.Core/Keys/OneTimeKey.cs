namespace Homeserver.Core.Keys;

/// <summary>A one-time or fallback key: <c>{algorithm}:{keyId}</c> and its JSON value in canonical form.</summary>
public sealed record OneTimeKey(string Algorithm, string KeyId, string Json)
{
    public string FullKeyId => Algorithm + ":" + KeyId;
}
