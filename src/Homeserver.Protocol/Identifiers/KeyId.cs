using System.Diagnostics.CodeAnalysis;

namespace Homeserver.Protocol.Identifiers;

/// <summary>A signing key identifier <c>algorithm:version</c>, e.g. <c>ed25519:a_Xyz1</c> (appendices, "Signing Details").</summary>
public readonly record struct KeyId
{
    private KeyId(string algorithm, string version)
    {
        Algorithm = algorithm;
        Version = version;
    }

    public string Algorithm { get; }

    /// <summary>Letters, digits and underscores.</summary>
    public string Version { get; }

    public static KeyId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a valid key ID");

    public static bool TryParse([NotNullWhen(true)] string? value, out KeyId keyId)
    {
        keyId = default;
        var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (value is null || colon < 1 || colon == value.Length - 1)
        {
            return false;
        }

        var algorithm = value[..colon];
        var version = value[(colon + 1)..];
        if (!algorithm.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || !version.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return false;
        }

        keyId = new KeyId(algorithm, version);
        return true;
    }

    public override string ToString() => $"{Algorithm}:{Version}";
}
