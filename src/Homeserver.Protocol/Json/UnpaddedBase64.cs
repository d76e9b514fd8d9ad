using System.Buffers.Text;

namespace Homeserver.Protocol.Json;

/// <summary>
/// The spec's "unpadded Base64" (appendices): standard or URL-safe alphabet, no trailing <c>=</c>. Decoding also
/// accepts padded input, as the spec asks receivers to.
/// </summary>
public static class UnpaddedBase64
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    public static string EncodeUrlSafe(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <exception cref="FormatException">Not base64 in either alphabet.</exception>
    public static byte[] Decode(string text) =>
        TryDecode(text, out var bytes) ? bytes : throw new FormatException("Invalid unpadded base64");

    public static bool TryDecode(string text, out byte[] bytes)
    {
        var trimmed = text.TrimEnd('=');
        if (trimmed.AsSpan().IndexOfAny('-', '_') >= 0)
        {
            bytes = [];
            if (!Base64Url.IsValid(trimmed))
            {
                return false;
            }

            bytes = Base64Url.DecodeFromChars(trimmed);
            return true;
        }

        var padded = (trimmed.Length % 4) switch
        {
            0 => trimmed,
            2 => trimmed + "==",
            3 => trimmed + "=",
            _ => null,
        };
        bytes = new byte[((trimmed.Length * 3) + 3) / 4];
        if (padded is null || !Convert.TryFromBase64String(padded, bytes, out var written))
        {
            bytes = [];
            return false;
        }

        bytes = bytes[..written];
        return true;
    }
}
