using System.Text.Json.Nodes;
using Homeserver.Protocol.Signing;

namespace Homeserver.Protocol.Tests.Signing;

public sealed class JsonSigningTests
{
    [Theory]
    [InlineData("{}", "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ")]
    [InlineData("{\"one\": 1, \"two\": \"Two\"}", "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw")]
    public void Spec_json_signing_vectors(string input, string signature)
    {
        using var key = SpecKey.Create();
        var json = JsonNode.Parse(input)!.AsObject();

        JsonSigning.Sign(json, SpecKey.Server, key);

        Assert.Equal(signature, (string?)json["signatures"]!["domain"]!["ed25519:1"]);
        Assert.True(JsonSigning.Verify(json, SpecKey.Server, "ed25519:1", key.PublicKey));
    }

    [Fact]
    public void Unsigned_data_and_other_signatures_may_change_but_the_content_may_not()
    {
        using var key = SpecKey.Create();
        var json = new JsonObject { ["one"] = 1, ["unsigned"] = new JsonObject { ["age"] = 1 } };
        JsonSigning.Sign(json, SpecKey.Server, key);

        json["unsigned"]!["age"] = 99;
        json["signatures"]!["other.example"] = new JsonObject { ["ed25519:x"] = "abc" };
        var stillValid = JsonSigning.Verify(json, SpecKey.Server, "ed25519:1", key.PublicKey);
        json["one"] = 2;
        var afterChange = JsonSigning.Verify(json, SpecKey.Server, "ed25519:1", key.PublicKey);

        Assert.True(stillValid);
        Assert.False(afterChange);
    }

    [Fact]
    public void A_missing_signer_key_or_garbled_signature_fails()
    {
        using var key = SpecKey.Create();
        using var other = SigningKey.Generate("2");
        var json = new JsonObject { ["a"] = "b" };
        JsonSigning.Sign(json, SpecKey.Server, key);

        Assert.False(JsonSigning.Verify(json, "elsewhere", "ed25519:1", key.PublicKey));
        Assert.False(JsonSigning.Verify(json, SpecKey.Server, "ed25519:2", key.PublicKey));
        Assert.False(JsonSigning.Verify(json, SpecKey.Server, "ed25519:1", other.PublicKey));
        json["signatures"]!["domain"]!["ed25519:1"] = "not base64!";
        Assert.False(JsonSigning.Verify(json, SpecKey.Server, "ed25519:1", key.PublicKey));
    }

    [Fact]
    public void Seed_round_trips()
    {
        using var key = SigningKey.Generate("abc_1");
        using var again = SigningKey.FromSeed("abc_1", Homeserver.Protocol.Json.UnpaddedBase64.Decode(key.ExportSeed()));

        Assert.Equal("ed25519:abc_1", again.KeyId);
        Assert.Equal(key.PublicKeyBase64, again.PublicKeyBase64);
        Assert.Throws<FormatException>(() => SigningKey.Generate("bad-version"));
    }
}
