using System.Security.Cryptography;

namespace Homeserver.Core.Media;

/// <summary>Media IDs: the path component of an <c>mxc://</c> URI (client-server API, "Matrix Content (mxc://) URIs").</summary>
public static class MediaIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const int GeneratedLength = 24;
    private const int MaxLength = 255;

    /// <summary>A new unguessable ID: 24 characters of base-62, about 143 bits.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, GeneratedLength);

    /// <summary>
    /// Only <c>A-Za-z0-9</c>, <c>_</c> and <c>-</c>, as the spec's security considerations require: an allow-list leaves
    /// no way to smuggle a path traversal through percent- or UTF-8 encodings.
    /// </summary>
    public static bool IsValid(string? mediaId) =>
        !string.IsNullOrEmpty(mediaId) && mediaId.Length <= MaxLength && mediaId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
