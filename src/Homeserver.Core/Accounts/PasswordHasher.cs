using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Homeserver.Core.Accounts;

/// <summary>
/// Salted PBKDF2-HMAC-SHA512 (the iteration count follows OWASP's 2023 advice). Hashing is deliberately slow, so it
/// runs on the thread pool rather than on the thread that serves the request.
/// </summary>
public static class PasswordHasher
{
    private const string Scheme = "pbkdf2-sha512";
    private const int Iterations = 210_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static Task<string> HashAsync(string password) => Task.Run(() => Hash(password, RandomNumberGenerator.GetBytes(SaltBytes), Iterations));

    public static Task<bool> VerifyAsync(string password, string encoded) => Task.Run(() => Verify(password, encoded));

    private static string Hash(string password, byte[] salt, int iterations)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    private static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
