using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Homeserver.Core.Media.Preview;

/// <summary>
/// Reads the OpenGraph (<c>og:*</c>) properties of an HTML page, falling back to its title and description, as the
/// spec's <c>preview_url</c> answers them. A tolerant scan of <c>meta</c> tags rather than an HTML parser: pages are
/// untrusted and often malformed, and the tags are all the preview needs.
/// </summary>
public static partial class OpenGraphParser
{
    private const int MaxProperties = 64;
    private const int MaxValueLength = 2000;

    public static JsonObject Parse(byte[] html, string? contentType, Uri pageUrl)
    {
        var text = Decode(html, contentType);
        var properties = new JsonObject();
        string? description = null;
        foreach (Match tag in MetaTag().Matches(text))
        {
            var attributes = Attributes(tag.Value);
            if (!attributes.TryGetValue("content", out var content))
            {
                continue;
            }

            var key = attributes.GetValueOrDefault("property") ?? attributes.GetValueOrDefault("name");
            if (key is null)
            {
                continue;
            }

            if (key.StartsWith("og:", StringComparison.OrdinalIgnoreCase) && properties.Count < MaxProperties && !properties.ContainsKey(key))
            {
                properties[key] = Value(key, content);
            }
            else if (key.Equals("description", StringComparison.OrdinalIgnoreCase))
            {
                description ??= content;
            }
        }

        if (!properties.ContainsKey("og:title") && Title().Match(text) is { Success: true } title && Clean(title.Groups[1].Value) is { Length: > 0 } t)
        {
            properties["og:title"] = t;
        }

        if (!properties.ContainsKey("og:description") && description is not null)
        {
            properties["og:description"] = Clean(description);
        }

        // Relative image URLs are common; the caller fetches the image, so it needs an absolute one.
        if (properties["og:image"] is JsonValue image && image.TryGetValue<string>(out var src))
        {
            properties["og:image"] = Uri.TryCreate(pageUrl, src, out var absolute) ? absolute.AbsoluteUri : null;
        }

        return properties;
    }

    private static JsonValue Value(string key, string content)
    {
        var value = Clean(content);
        return key is "og:image:width" or "og:image:height"
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
    }

    private static string Clean(string value)
    {
        var decoded = WebUtility.HtmlDecode(value).Trim();
        return decoded.Length > MaxValueLength ? decoded[..MaxValueLength] : decoded;
    }

    private static Dictionary<string, string> Attributes(string tag)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match attribute in Attribute().Matches(tag))
        {
            var value = attribute.Groups[2].Success ? attribute.Groups[2].Value
                : attribute.Groups[3].Success ? attribute.Groups[3].Value
                : attribute.Groups[4].Value;
            attributes.TryAdd(attribute.Groups[1].Value, value);
        }

        return attributes;
    }

    private static string Decode(byte[] html, string? contentType)
    {
        var charset = CharsetParameter().Match(contentType ?? string.Empty) is { Success: true } header
            ? header.Groups[1].Value
            : MetaCharset().Match(Encoding.Latin1.GetString(html, 0, Math.Min(html.Length, 4096))) is { Success: true } meta
                ? meta.Groups[1].Value
                : "utf-8";
        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            // Encodings outside the runtime's built-in set: UTF-8 reads the ASCII markup and most text well enough.
            encoding = Encoding.UTF8;
        }

        return encoding.GetString(html);
    }

    [GeneratedRegex(@"<meta\s[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MetaTag();

    [GeneratedRegex(@"([a-zA-Z:_-]+)\s*=\s*(?:""([^""]*)""|'([^']*)'|([^\s>""']+))", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Attribute();

    [GeneratedRegex(@"<title[^>]*>([^<]*)</title>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Title();

    [GeneratedRegex(@"charset\s*=\s*""?([A-Za-z0-9_.:-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CharsetParameter();

    [GeneratedRegex(@"<meta[^>]+charset\s*=\s*[""']?([A-Za-z0-9_.:-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MetaCharset();
}
