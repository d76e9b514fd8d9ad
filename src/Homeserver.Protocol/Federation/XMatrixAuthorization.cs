using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;

namespace Homeserver.Protocol.Federation;

/// <summary>
/// Request authentication between servers (server-server API, "Request Authentication"): the JSON object a server
/// signs for each request, and the <c>Authorization: X-Matrix origin=…,destination=…,key=…,sig=…</c> header that
/// carries the signature.
/// </summary>
public sealed record XMatrixAuthorization(string Origin, string? Destination, string KeyId, string Signature)
{
    public const string Scheme = "X-Matrix";

    /// <summary>Signs a request: the header value (after the scheme) for it.</summary>
    /// <param name="uri">The path and query string, as sent.</param>
    public static XMatrixAuthorization Sign(string method, string uri, string origin, string destination, JsonNode? content, SigningKey key)
    {
        var json = RequestJson(method, uri, origin, destination, content);
        return new XMatrixAuthorization(origin, destination, key.KeyId, UnpaddedBase64.Encode(key.Sign(JsonSigning.SignedBytes(json))));
    }

    /// <summary>Whether the signature is the origin's, by the given public key, over this request to this destination.</summary>
    public bool Verify(string method, string uri, string destination, JsonNode? content, ReadOnlySpan<byte> publicKey)
    {
        var json = RequestJson(method, uri, Origin, destination, content);
        return UnpaddedBase64.TryDecode(Signature, out var signature) && SigningKey.Verify(publicKey, JsonSigning.SignedBytes(json), signature);
    }

    /// <summary>The value of the Authorization header, scheme included.</summary>
    public string ToHeaderValue() =>
        $"{Scheme} origin=\"{Origin}\",destination=\"{Destination}\",key=\"{KeyId}\",sig=\"{Signature}\"";

    /// <summary>Reads a header value; parameter values may be quoted (with backslash escapes) or bare tokens.</summary>
    public static bool TryParse(string? header, out XMatrixAuthorization authorization)
    {
        authorization = null!;
        if (header is null || !header.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = header.AsSpan(Scheme.Length + 1);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == ','))
            {
                i++;
            }

            var equals = text[i..].IndexOf('=');
            if (equals <= 0)
            {
                break;
            }

            var name = text.Slice(i, equals).Trim().ToString();
            i += equals + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                if (i >= text.Length)
                {
                    return false;
                }

                i++;
            }
            else
            {
                while (i < text.Length && text[i] != ',')
                {
                    value.Append(text[i++]);
                }
            }

            parameters[name] = value.ToString().Trim();
        }

        if (!parameters.TryGetValue("origin", out var origin) || !parameters.TryGetValue("key", out var key) || !parameters.TryGetValue("sig", out var sig)
            || origin.Length == 0 || key.Length == 0 || sig.Length == 0)
        {
            return false;
        }

        authorization = new XMatrixAuthorization(origin, parameters.GetValueOrDefault("destination"), key, sig);
        return true;
    }

    private static JsonObject RequestJson(string method, string uri, string origin, string destination, JsonNode? content)
    {
        var json = new JsonObject { ["method"] = method, ["uri"] = uri, ["origin"] = origin, ["destination"] = destination };
        if (content is not null)
        {
            json["content"] = content.DeepClone();
        }

        return json;
    }
}
