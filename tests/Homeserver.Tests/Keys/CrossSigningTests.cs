using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using static Homeserver.Tests.Keys.KeysTestData;

namespace Homeserver.Tests.Keys;

/// <summary><c>/keys/device_signing/upload</c> and <c>/keys/signatures/upload</c>, and what <c>/keys/query</c> shows of them.</summary>
public sealed class CrossSigningTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    private const string DeviceSigning = "/_matrix/client/v3/keys/device_signing/upload";
    private const string Signatures = "/_matrix/client/v3/keys/signatures/upload";
    private const string Query = "/_matrix/client/v3/keys/query";

    [Theory]
    [OnEveryDatabase]
    public async Task The_first_upload_needs_no_password_a_retry_neither_but_a_replacement_does(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var hal = await E2eeDevice.CreateAsync(server, Name("chal", provider), "HALDEV");
        using var keys = new CrossSigningKeys(hal.UserId);
        using var newMaster = new Ed25519Signer();

        var (first, _) = await hal.SendAsync(HttpMethod.Post, DeviceSigning, keys.Upload());
        var (retry, _) = await hal.SendAsync(HttpMethod.Post, DeviceSigning, keys.Upload());
        var replacement = new JsonObject { ["master_key"] = CrossSigningKeys.Key(hal.UserId, "master", newMaster) };
        var (challenge, flows) = await hal.SendAsync(HttpMethod.Post, DeviceSigning, replacement);
        replacement["auth"] = new JsonObject
        {
            ["type"] = "m.login.password",
            ["identifier"] = new JsonObject { ["type"] = "m.id.user", ["user"] = hal.UserId },
            ["password"] = Password,
            ["session"] = (string)flows!["session"]!,
        };
        var (replaced, _) = await hal.SendAsync(HttpMethod.Post, DeviceSigning, replacement);
        var (_, query) = await hal.SendAsync(HttpMethod.Post, Query, JsonNode.Parse($$$$"""{"device_keys":{"{{{{hal.UserId}}}}":[]}}"""));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("m.login.password", (string?)flows["flows"]![0]!["stages"]![0]);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(newMaster.PublicKey, (string?)query!["master_keys"]![hal.UserId]!["keys"]!["ed25519:" + newMaster.PublicKey]);
        Assert.Equal(keys.SelfSigning.PublicKey, (string?)query["self_signing_keys"]![hal.UserId]!["keys"]!["ed25519:" + keys.SelfSigning.PublicKey]);
        Assert.NotNull(query["user_signing_keys"]![hal.UserId]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Badly_signed_or_malformed_cross_signing_keys_are_refused(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var ivy = await E2eeDevice.CreateAsync(server, Name("civy", provider), "IVYDEV");
        using var keys = new CrossSigningKeys(ivy.UserId);
        using var stranger = new Ed25519Signer();

        var badSignature = keys.Upload();
        badSignature["self_signing_key"] = CrossSigningKeys.Key(ivy.UserId, "self_signing", keys.SelfSigning, stranger);
        var wrongUsage = keys.Upload();
        wrongUsage["master_key"]!["usage"] = new JsonArray("self_signing");
        var otherUser = keys.Upload();
        otherUser["master_key"]!["user_id"] = "@other:localhost";
        var notAKey = keys.Upload();
        notAKey["master_key"]!["keys"] = new JsonObject { ["ed25519:abc"] = "abc" };

        AssertError(HttpStatusCode.BadRequest, "M_INVALID_SIGNATURE", await ivy.SendAsync(HttpMethod.Post, DeviceSigning, badSignature));
        AssertError(HttpStatusCode.BadRequest, "M_MISSING_PARAM",
            await ivy.SendAsync(HttpMethod.Post, DeviceSigning, new JsonObject { ["self_signing_key"] = keys.Upload()["self_signing_key"]!.DeepClone() }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await ivy.SendAsync(HttpMethod.Post, DeviceSigning, wrongUsage));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await ivy.SendAsync(HttpMethod.Post, DeviceSigning, otherUser));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await ivy.SendAsync(HttpMethod.Post, DeviceSigning, notAKey));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", await server.SendAsync(HttpMethod.Post, DeviceSigning, """{"master_key":"x"}""", ivy.AccessToken));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", await server.SendAsync(HttpMethod.Post, Signatures, """{"@a:localhost":{"K":1}}""", ivy.AccessToken));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", await server.SendAsync(HttpMethod.Post, Signatures, """{"@a:localhost":[]}""", ivy.AccessToken));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Signatures_are_verified_and_a_users_signature_of_another_is_shown_only_to_the_signer(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var jay = await E2eeDevice.CreateAsync(server, Name("cjay", provider), "JAYDEV");
        using var kim = await E2eeDevice.CreateAsync(server, Name("ckim", provider), "KIMDEV");
        var (_, lee) = await server.CreateUserAsync(Name("clee", provider), Password, "LEEDEV");
        using var jayKeys = new CrossSigningKeys(jay.UserId);
        using var kimKeys = new CrossSigningKeys(kim.UserId);
        await jay.UploadOkAsync(new JsonObject { ["device_keys"] = jay.DeviceKeys() });
        Assert.Equal(HttpStatusCode.OK, (await jay.SendAsync(HttpMethod.Post, DeviceSigning, jayKeys.Upload())).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await kim.SendAsync(HttpMethod.Post, DeviceSigning, kimKeys.Upload())).Response.StatusCode);

        // Jay signs his device with his self-signing key, and his master key with his device; Kim signs Jay's master key.
        var deviceSigned = jayKeys.SelfSigning.Sign(jay.DeviceKeys(), jay.UserId, "ed25519:" + jayKeys.SelfSigning.PublicKey);
        var masterSigned = jay.Identity.Sign(CrossSigningKeys.Key(jay.UserId, "master", jayKeys.Master), jay.UserId, jay.IdentityKeyId);
        var kimSigns = kimKeys.UserSigning.Sign(CrossSigningKeys.Key(jay.UserId, "master", jayKeys.Master), kim.UserId, "ed25519:" + kimKeys.UserSigning.PublicKey);
        using var stranger = new Ed25519Signer();
        var forged = stranger.Sign(jay.DeviceKeys(), jay.UserId, "ed25519:" + jayKeys.SelfSigning.PublicKey);

        var (_, jayAnswer) = await jay.SendAsync(HttpMethod.Post, Signatures, new JsonObject
        {
            [jay.UserId] = new JsonObject { [jay.DeviceId] = deviceSigned, [jayKeys.Master.PublicKey] = masterSigned },
        });
        var (_, kimAnswer) = await kim.SendAsync(HttpMethod.Post, Signatures, new JsonObject
        {
            [jay.UserId] = new JsonObject { [jayKeys.Master.PublicKey] = kimSigns, ["UNKNOWNKEY"] = kimSigns.DeepClone() },
        });
        var (_, forgedAnswer) = await jay.SendAsync(HttpMethod.Post, Signatures, new JsonObject { [jay.UserId] = new JsonObject { [jay.DeviceId] = forged } });

        var queryBody = $$$$"""{"device_keys":{"{{{{jay.UserId}}}}":[]}}""";
        var (_, byKim) = await server.SendAsync(HttpMethod.Post, Query, queryBody, kim.AccessToken);
        var (_, byLee) = await server.SendAsync(HttpMethod.Post, Query, queryBody, lee);
        var device = byLee!["device_keys"]![jay.UserId]![jay.DeviceId]!.AsObject();
        var masterSeenByKim = byKim!["master_keys"]![jay.UserId]!.AsObject();
        var masterSeenByLee = byLee["master_keys"]![jay.UserId]!["signatures"]!.AsObject();

        Assert.Empty(jayAnswer!["failures"]!.AsObject());
        Assert.Equal(["UNKNOWNKEY"], kimAnswer!["failures"]![jay.UserId]!.AsObject().Select(f => f.Key));
        Assert.Equal("M_INVALID_SIGNATURE", (string?)forgedAnswer!["failures"]![jay.UserId]![jay.DeviceId]!["errcode"]);
        Assert.True(JsonSigning.Verify(device, jay.UserId, "ed25519:" + jayKeys.SelfSigning.PublicKey, UnpaddedBase64.Decode(jayKeys.SelfSigning.PublicKey)));
        Assert.True(JsonSigning.Verify(masterSeenByKim, kim.UserId, "ed25519:" + kimKeys.UserSigning.PublicKey, UnpaddedBase64.Decode(kimKeys.UserSigning.PublicKey)));
        Assert.True(JsonSigning.Verify(masterSeenByKim, jay.UserId, jay.IdentityKeyId, UnpaddedBase64.Decode(jay.Identity.PublicKey)));
        Assert.False(masterSeenByLee.ContainsKey(kim.UserId));
        Assert.True(masterSeenByLee.ContainsKey(jay.UserId));
        Assert.False(byKim["user_signing_keys"]!.AsObject().ContainsKey(jay.UserId));
    }
}
