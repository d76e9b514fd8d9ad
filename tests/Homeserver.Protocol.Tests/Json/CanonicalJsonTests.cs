using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;

namespace Homeserver.Protocol.Tests.Json;

public sealed class CanonicalJsonTests
{
    // Every example of appendices.md, "Canonical JSON".
    [Theory]
    [InlineData("{}", "{}")]
    [InlineData("{\n    \"one\": 1,\n    \"two\": \"Two\"\n}", "{\"one\":1,\"two\":\"Two\"}")]
    [InlineData("{\n    \"b\": \"2\",\n    \"a\": \"1\"\n}", "{\"a\":\"1\",\"b\":\"2\"}")]
    [InlineData("{\"b\":\"2\",\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\"}")]
    [InlineData(
        """{"auth": {"success": true, "mxid": "@john.doe:example.com", "profile": {"display_name": "John Doe", "three_pids": [{"medium": "email", "address": "john.doe@example.org"}, {"medium": "msisdn", "address": "123456789"}]}}}""",
        """{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}""")]
    [InlineData("{\"a\": \"日本語\"}", "{\"a\":\"日本語\"}")]
    [InlineData("{\"本\": 2, \"日\": 1}", "{\"日\":1,\"本\":2}")]
    [InlineData("{\"a\": \"\\u65E5\"}", "{\"a\":\"日\"}")]
    [InlineData("{\"a\": null}", "{\"a\":null}")]
    [InlineData("{\"a\": -0, \"b\": 1e10}", "{\"a\":0,\"b\":10000000000}")]
    public void Spec_examples(string input, string canonical) =>
        Assert.Equal(canonical, Encoding.UTF8.GetString(CanonicalJson.Encode(JsonNode.Parse(input))));

    [Fact]
    public void Strings_use_only_the_escapes_of_the_grammar()
    {
        var node = new JsonObject { ["s"] = "quote\" backslash\\ \b\f\n\r\t \u0001\u001f </script> \u2028 😀 é" };

        var text = Encoding.UTF8.GetString(CanonicalJson.Encode(node));

        Assert.Equal("{\"s\":\"quote\\\" backslash\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f </script> \u2028 😀 é\"}", text);
    }

    [Fact]
    public void Keys_are_sorted_by_code_point_not_by_utf16_unit()
    {
        // U+1F600 is a surrogate pair in UTF-16 (0xD83D…), which ordinal comparison puts before U+FB01 (0xFB01).
        var node = new JsonObject { ["😀"] = 1, ["\uFB01"] = 2, ["a"] = 3 };

        Assert.Equal("{\"a\":3,\"\uFB01\":2,\"😀\":1}", Encoding.UTF8.GetString(CanonicalJson.Encode(node)));
    }

    [Theory]
    [InlineData("{\"a\": 1.5}")]
    [InlineData("{\"a\": [0.1]}")]
    public void Floats_cannot_be_encoded(string input) =>
        Assert.Throws<FormatException>(() => CanonicalJson.Encode(JsonNode.Parse(input)));

    [Theory]
    [InlineData("{\"a\": 1, \"a\": 2}", "Duplicate")]
    [InlineData("{\"a\": 1.5}", "integer")]
    [InlineData("{\"a\": 1e3}", "integer")]
    [InlineData("{\"a\": 9007199254740992}", "integer")]
    [InlineData("{\"a\": -9007199254740992}", "integer")]
    [InlineData("[1]", "object")]
    [InlineData("{\"a\": ", "JSON")]
    public void Strict_parsing_rejects_what_room_version_6_rejects(string input, string reason)
    {
        Assert.False(CanonicalJson.TryParse(Encoding.UTF8.GetBytes(input), strict: true, out _, out var error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Lenient_parsing_keeps_big_integers_of_old_room_versions()
    {
        Assert.True(CanonicalJson.TryParse("{\"a\": 9007199254740993}"u8, strict: false, out var json, out _));
        Assert.True(CanonicalJson.TryParse("{\"a\": 9007199254740991, \"b\": -9007199254740991}"u8, strict: true, out var strict, out _));

        Assert.Equal("{\"a\":9007199254740993}", Encoding.UTF8.GetString(CanonicalJson.Encode(json)));
        Assert.Equal("{\"a\":9007199254740991,\"b\":-9007199254740991}", Encoding.UTF8.GetString(CanonicalJson.Encode(strict)));
    }

    [Fact]
    public void Leaving_out_top_level_keys_keeps_nested_ones()
    {
        var node = JsonNode.Parse("{\"signatures\": {}, \"unsigned\": {}, \"content\": {\"signatures\": 1}}")!;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        CanonicalJson.Write(buffer, node, new HashSet<string>(StringComparer.Ordinal) { "signatures", "unsigned" });

        Assert.Equal("{\"content\":{\"signatures\":1}}", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
