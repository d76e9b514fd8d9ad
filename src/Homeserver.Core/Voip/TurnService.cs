using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Homeserver.Core.Authentication;

namespace Homeserver.Core.Voip;

/// <summary>
/// Time-limited TURN credentials (client-server API, "Voice over IP"), in the "TURN REST API" scheme that coturn's
/// <c>use-auth-secret</c> checks: the user name is <c>expiry:user_id</c>, the password its HMAC-SHA1 under the
/// shared secret.
/// </summary>
public sealed class TurnService(TurnConfiguration configuration, TimeProvider clock)
{
    /// <summary>Null when no TURN server is configured: clients then call without one.</summary>
    public TurnCredentials? CredentialsFor(Session session)
    {
        if (configuration.Uris.Count == 0 || string.IsNullOrEmpty(configuration.SharedSecret))
        {
            return null;
        }

        var expiry = clock.GetUtcNow().Add(configuration.Lifetime).ToUnixTimeSeconds();
        var username = string.Create(CultureInfo.InvariantCulture, $"{expiry}:{session.UserId}");
#pragma warning disable CA5350 // SHA-1 is what TURN servers check; the scheme is fixed by them, not chosen here.
        var password = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(configuration.SharedSecret), Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
        return new TurnCredentials(username, password, configuration.Uris, (long)configuration.Lifetime.TotalSeconds);
    }
}
