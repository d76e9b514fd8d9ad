using System.Security.Cryptography;
using System.Text;
using Homeserver.Protocol.Json;

namespace Homeserver.Core.Authentication;

/// <summary>
/// Access tokens are 256 random bits; only their SHA-256 is stored, so a leaked database does not leak sessions.
/// </summary>
public static class AccessTokens
{
    private const string Prefix = "hs_";

    public static string Create() => Prefix + UnpaddedBase64.EncodeUrlSafe(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A device ID for clients that do not bring one: ten upper-case letters, like other servers make.</summary>
    public static string CreateDeviceId()
    {
        Span<char> id = stackalloc char[10];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = (char)('A' + RandomNumberGenerator.GetInt32(26));
        }

        return new string(id);
    }
}
