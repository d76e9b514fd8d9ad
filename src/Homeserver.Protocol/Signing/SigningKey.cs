using System.Diagnostics.CodeAnalysis;
using Homeserver.Protocol.Json;
using NSec.Cryptography;

namespace Homeserver.Protocol.Signing;

/// <summary>A server's Ed25519 signing key, identified as <c>ed25519:VERSION</c>.</summary>
public sealed class SigningKey : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private SigningKey(string version, Key key)
    {
        Version = version;
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The part after <c>ed25519:</c>: letters, digits and underscores.</summary>
    public string Version { get; }

    public string KeyId => "ed25519:" + Version;

    public byte[] PublicKey { get; }

    public string PublicKeyBase64 => UnpaddedBase64.Encode(PublicKey);

    public static SigningKey Generate(string version) =>
        new(CheckVersion(version), Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>The key whose 32-byte seed is given, as stored in key files.</summary>
    public static SigningKey FromSeed(string version, ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32)
        {
            throw new FormatException("An Ed25519 seed is 32 bytes");
        }

        return new SigningKey(CheckVersion(version), Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    public string ExportSeed() => UnpaddedBase64.Encode(_key.Export(KeyBlobFormat.RawPrivateKey));

    public byte[] Sign(ReadOnlySpan<byte> data) => Algorithm.Sign(_key, data);

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        TryImportPublicKey(publicKey, out var key) && Algorithm.Verify(key, data, signature);

    public void Dispose() => _key.Dispose();

    private static bool TryImportPublicKey(ReadOnlySpan<byte> raw, [NotNullWhen(true)] out PublicKey? key) =>
        NSec.Cryptography.PublicKey.TryImport(Algorithm, raw, KeyBlobFormat.RawPublicKey, out key);

    private static string CheckVersion(string version) =>
        version.Length > 0 && version.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? version
            : throw new FormatException($"'{version}' is not a valid key version (letters, digits and _)");
}
