using System.Security.Cryptography;
using Homeserver.Configuration;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;

namespace Homeserver.Hosting;

/// <summary>
/// The server's Ed25519 signing key on disk, one line <c>ed25519 VERSION SEED</c> (unpadded base64), the format
/// Synapse uses too, so that a key can be carried over from one server implementation to another.
/// </summary>
public static class SigningKeyFile
{
    public const string FileName = "signing.key";

    public static string DefaultPath(HomeserverOptions options) => Path.Combine(options.DataDirectory, FileName);

    /// <summary>A new key with a random version, <c>a_</c> and four letters or digits (the key ID grammar allows no more).</summary>
    public static SigningKey Generate() =>
        SigningKey.Generate("a_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 4));

    /// <summary>Writes a new key file; never replaces an existing one (other servers trust the key in it).</summary>
    public static void Write(string path, SigningKey key)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        using var writer = new StreamWriter(stream);
        writer.WriteLine($"ed25519 {key.Version} {key.ExportSeed()}");
    }

    /// <summary>Reads the key at the default path, creating it when the server starts for the first time.</summary>
    /// <exception cref="ConfigurationException">The file exists but does not hold a key.</exception>
    public static SigningKey LoadOrCreate(HomeserverOptions options)
    {
        var path = DefaultPath(options);
        if (!File.Exists(path))
        {
            var key = Generate();
            Write(path, key);
            return key;
        }

        var parts = File.ReadAllText(path).Trim().Split(' ');
        try
        {
            return parts is ["ed25519", var version, var seed]
                ? SigningKey.FromSeed(version, UnpaddedBase64.Decode(seed))
                : throw new FormatException("expected 'ed25519 VERSION SEED'");
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"Configuration error: the signing key file '{path}' is not valid: {e.Message}.", e);
        }
    }
}
