using System.Text.Json.Nodes;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Signing;

namespace Homeserver.Protocol.Tests.Federation;

public sealed class XMatrixAuthorizationTests
{
    [Fact]
    public void A_signed_request_verifies_and_any_change_breaks_it()
    {
        using var key = SigningKey.Generate("k1");
        var content = JsonNode.Parse("""{"pdus":[],"edus":[]}""");
        var auth = XMatrixAuthorization.Sign("PUT", "/_matrix/federation/v1/send/1", "a.example", "b.example", content, key);

        Assert.True(XMatrixAuthorization.TryParse(auth.ToHeaderValue(), out var parsed));
        Assert.Equal(auth, parsed);
        Assert.True(parsed.Verify("PUT", "/_matrix/federation/v1/send/1", "b.example", content, key.PublicKey));
        Assert.False(parsed.Verify("PUT", "/_matrix/federation/v1/send/2", "b.example", content, key.PublicKey));
        Assert.False(parsed.Verify("PUT", "/_matrix/federation/v1/send/1", "c.example", content, key.PublicKey));
        Assert.False(parsed.Verify("PUT", "/_matrix/federation/v1/send/1", "b.example", JsonNode.Parse("""{"pdus":[1]}"""), key.PublicKey));
        Assert.False(parsed.Verify("PUT", "/_matrix/federation/v1/send/1", "b.example", null, key.PublicKey));
    }

    [Theory]
    [InlineData("X-Matrix origin=origin.hs.example.com,key=\"ed25519:key1\",sig=\"ABCDEF...\"", "origin.hs.example.com", null)]
    [InlineData("X-Matrix origin=\"origin.hs.example.com\",destination=\"destination.hs.example.com\",key=\"ed25519:key1\",sig=\"ABCDEF...\"",
        "origin.hs.example.com", "destination.hs.example.com")]
    [InlineData("x-matrix origin=\"a\\\"b\", key=ed25519:key1, sig=ABCDEF...", "a\"b", null)]
    public void Headers_are_parsed_quoted_or_not(string header, string origin, string? destination)
    {
        Assert.True(XMatrixAuthorization.TryParse(header, out var parsed));
        Assert.Equal(origin, parsed.Origin);
        Assert.Equal(destination, parsed.Destination);
        Assert.Equal("ed25519:key1", parsed.KeyId);
        Assert.Equal("ABCDEF...", parsed.Signature);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer abc")]
    [InlineData("X-Matrix key=\"ed25519:k\",sig=\"s\"")]
    [InlineData("X-Matrix origin=\"a\",key=\"ed25519:k\"")]
    [InlineData("X-Matrix origin=\"a,key=\"ed25519:k\",sig=\"s")]
    public void Incomplete_headers_are_refused(string? header) => Assert.False(XMatrixAuthorization.TryParse(header, out _));
}
