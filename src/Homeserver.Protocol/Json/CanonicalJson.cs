using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Homeserver.Protocol.Json;

/// <summary>
/// The spec's canonical JSON (appendices, "Canonical JSON"): object keys sorted by code point, no insignificant
/// whitespace, UTF-8 with only the escapes the grammar requires, integers only.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The largest integer canonical JSON allows, 2^53 - 1; the smallest is its negation.</summary>
    public const long MaxSafeInteger = (1L << 53) - 1;

    private static readonly byte[] Null = "null"u8.ToArray();
    private static readonly byte[] True = "true"u8.ToArray();
    private static readonly byte[] False = "false"u8.ToArray();

    /// <exception cref="FormatException">The value holds a number that is not an integer.</exception>
    public static byte[] Encode(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, node);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the canonical form of <paramref name="node"/>, leaving out the given keys of the top-level object.</summary>
    /// <exception cref="FormatException">The value holds a number that is not an integer.</exception>
    public static void Write(IBufferWriter<byte> output, JsonNode? node, IReadOnlySet<string>? skipTopLevelKeys = null)
    {
        switch (node)
        {
            case null:
                output.Write(Null);
                break;
            case JsonObject obj:
                WriteObject(output, obj, skipTopLevelKeys);
                break;
            case JsonArray array:
                output.Write("["u8);
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(","u8);
                    }

                    Write(output, array[i]);
                }

                output.Write("]"u8);
                break;
            case JsonValue value:
                WriteValue(output, value);
                break;
            default:
                throw new FormatException("Unknown JSON node");
        }
    }

    /// <summary>
    /// Parses a JSON object. In strict mode (room version 6 and later, and every API body that is signed) numbers must
    /// be integers in canonical range; duplicate keys are always refused, since two readers could see two values.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, bool strict, out JsonObject obj, out string error)
    {
        obj = null!;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 128 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            error = "Not valid JSON: " + e.Message;
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "Not a JSON object";
                return false;
            }

            if (!TryConvert(document.RootElement, strict, out var node, out error))
            {
                return false;
            }

            obj = (JsonObject)node!;
            return true;
        }
    }

    private static void WriteObject(IBufferWriter<byte> output, JsonObject obj, IReadOnlySet<string>? skip)
    {
        var keys = new string[obj.Count];
        var count = 0;
        foreach (var (key, _) in obj)
        {
            if (skip is null || !skip.Contains(key))
            {
                keys[count++] = key;
            }
        }

        Array.Sort(keys, 0, count, CodePointComparer.Instance);
        output.Write("{"u8);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                output.Write(","u8);
            }

            WriteString(output, keys[i]);
            output.Write(":"u8);
            Write(output, obj[keys[i]]);
        }

        output.Write("}"u8);
    }

    private static void WriteValue(IBufferWriter<byte> output, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(output, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                output.Write(True);
                break;
            case JsonValueKind.False:
                output.Write(False);
                break;
            case JsonValueKind.Null:
                output.Write(Null);
                break;
            case JsonValueKind.Number:
                WriteNumber(output, value);
                break;
            default:
                throw new FormatException("Unsupported JSON value");
        }
    }

    private static void WriteNumber(IBufferWriter<byte> output, JsonValue value)
    {
        if (JsonInteger.TryRead(value, out var integer))
        {
            WriteInteger(output, integer);
            return;
        }

        // Values parsed from text keep their token: an integer beyond 64 bits (room versions 1–5 may hold one)
        // is written as it came; 1e10 or -0 are integers written another way.
        var text = value.TryGetValue<JsonElement>(out var element) ? element.GetRawText() : value.ToJsonString();
        if (IsIntegerToken(text))
        {
            Encoding.UTF8.GetBytes(text.TrimStart('-') == "0" ? "0" : text, output);
            return;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number) && Math.Floor(number) == number && Math.Abs(number) < 9.2e18)
        {
            WriteInteger(output, (long)number);
            return;
        }

        throw new FormatException($"Canonical JSON has no floating-point numbers ({text})");
    }

    private static void WriteInteger(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        value.TryFormat(span, out var written, provider: CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private static bool IsIntegerToken(string text)
    {
        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private static void WriteString(IBufferWriter<byte> output, string value)
    {
        output.Write("\""u8);
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                continue;
            }

            Encoding.UTF8.GetBytes(value.AsSpan(start, i - start), output);
            output.Write(c switch
            {
                '"' => "\\\""u8,
                '\\' => "\\\\"u8,
                '\b' => "\\b"u8,
                '\t' => "\\t"u8,
                '\n' => "\\n"u8,
                '\f' => "\\f"u8,
                '\r' => "\\r"u8,
                _ => Encoding.ASCII.GetBytes($"\\u{(int)c:x4}"),
            });
            start = i + 1;
        }

        Encoding.UTF8.GetBytes(value.AsSpan(start), output);
        output.Write("\""u8);
    }

    private static bool TryConvert(JsonElement element, bool strict, out JsonNode? node, out string error)
    {
        error = string.Empty;
        node = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (obj.ContainsKey(property.Name))
                    {
                        error = $"Duplicate key '{property.Name}'";
                        return false;
                    }

                    if (!TryConvert(property.Value, strict, out var child, out error))
                    {
                        return false;
                    }

                    obj.Add(property.Name, child);
                }

                node = obj;
                return true;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    if (!TryConvert(item, strict, out var child, out error))
                    {
                        return false;
                    }

                    array.Add(child);
                }

                node = array;
                return true;
            case JsonValueKind.Number when strict:
                if (!element.TryGetInt64(out var integer) || !IsIntegerToken(element.GetRawText()) || Math.Abs(integer) > MaxSafeInteger)
                {
                    error = $"{element.GetRawText()} is not an integer in [-(2^53)+1, (2^53)-1]";
                    return false;
                }

                node = JsonValue.Create(integer);
                return true;
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                node = JsonValue.Create(element.GetBoolean());
                return true;
            default:
                node = JsonValue.Create(element.Clone());
                return true;
        }
    }
}
