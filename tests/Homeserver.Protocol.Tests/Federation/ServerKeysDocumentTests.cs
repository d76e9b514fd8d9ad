using System.Text.Json.Nodes;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Signing;

namespace Homeserver.Protocol.Tests.Federation;

public sealed class ServerKeysDocumentTests
{
    [Fact]
    public void Old_keys_are_published_with_their_expiry_and_read_back_as_expired()
    {
        using var current = SigningKey.Generate("new1");
        using var retired = SigningKey.Generate("old1");
        var document = ServerKeysDocument.Build("example.org", current, 2_000, [new PublishedKey(retired.KeyId, retired.PublicKey, 1_000, Expired: true)]);

        Assert.Equal(1_000, (long)document["old_verify_keys"]![retired.KeyId]!["expired_ts"]!);
        Assert.True(ServerKeysDocument.TryRead(document, "example.org", out var keys, out var error), error);
        Assert.Equal(
            [(current.KeyId, 2_000L, false), (retired.KeyId, 1_000L, true)],
            keys.Select(k => (k.KeyId, k.ValidUntilTs, k.Expired)));
        Assert.Equal(retired.PublicKey, keys.Single(k => k.Expired).PublicKey);
    }

    [Fact]
    public void A_document_signed_only_by_an_old_key_is_not_believed()
    {
        using var current = SigningKey.Generate("new1");
        using var retired = SigningKey.Generate("old1");
        // Whoever holds a retired key must not be able to vouch for a current one with it.
        var document = new JsonObject
        {
            ["server_name"] = "example.org",
            ["valid_until_ts"] = 2_000,
            ["verify_keys"] = new JsonObject { [current.KeyId] = new JsonObject { ["key"] = current.PublicKeyBase64 } },
            ["old_verify_keys"] = new JsonObject { [retired.KeyId] = new JsonObject { ["key"] = retired.PublicKeyBase64, ["expired_ts"] = 1_000 } },
        };
        JsonSigning.Sign(document, "example.org", retired);

        Assert.False(ServerKeysDocument.TryRead(document, "example.org", out _, out var error));
        Assert.Contains("own key", error, StringComparison.Ordinal);
    }
}
