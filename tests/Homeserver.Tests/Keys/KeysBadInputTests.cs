using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using static Homeserver.Tests.Keys.KeysTestData;

namespace Homeserver.Tests.Keys;

/// <summary>Keys that are unsigned, mis-signed, someone else's or malformed are refused with a client error.</summary>
public sealed class KeysBadInputTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    private const string Upload = "/_matrix/client/v3/keys/upload";

    [Theory]
    [OnEveryDatabase]
    public async Task Device_keys_of_another_user_or_device_or_without_a_valid_signature_are_refused(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var eve = await E2eeDevice.CreateAsync(server, Name("beve", provider), "EVEDEV");

        var otherUser = eve.DeviceKeys();
        otherUser["user_id"] = "@someone:localhost";
        var otherDevice = eve.DeviceKeys();
        otherDevice["device_id"] = "OTHER";
        var unsigned = eve.DeviceKeys();
        unsigned.Remove("signatures");
        var tampered = eve.DeviceKeys();
        tampered["algorithms"]!.AsArray().Add("m.extra");
        using var stranger = new Ed25519Signer();
        var wrongKey = stranger.Sign(JsonNode.Parse(eve.DeviceKeys().ToJsonString())!.AsObject().Also(k => k.Remove("signatures")), eve.UserId, eve.IdentityKeyId);
        var noEd25519 = eve.DeviceKeys();
        noEd25519["keys"]!.AsObject().Remove(eve.IdentityKeyId);

        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await eve.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["device_keys"] = otherUser }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await eve.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["device_keys"] = otherDevice }));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", await eve.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["device_keys"] = unsigned }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_SIGNATURE", await eve.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["device_keys"] = tampered }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_SIGNATURE", await eve.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["device_keys"] = wrongKey }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await eve.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["device_keys"] = noEd25519 }));

        // Nothing was stored by any of them.
        var (_, query) = await eve.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", JsonNode.Parse($$$$"""{"device_keys":{"{{{{eve.UserId}}}}":[]}}"""));
        Assert.Empty(query!["device_keys"]![eve.UserId]!.AsObject());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Identity_keys_cannot_change_and_a_one_time_key_id_cannot_be_reused_with_other_content(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var fred = await E2eeDevice.CreateAsync(server, Name("bfred", provider), "FREDDEV");
        await fred.UploadOkAsync(new JsonObject
        {
            ["device_keys"] = fred.DeviceKeys(),
            ["one_time_keys"] = new JsonObject { ["signed_curve25519:K1"] = fred.SignedKey("one") },
        });

        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM",
            await fred.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["device_keys"] = fred.DeviceKeys(curve25519: "another curve key") }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM",
            await fred.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["one_time_keys"] = new JsonObject { ["signed_curve25519:K1"] = fred.SignedKey("two") } }));
        using var stranger = new Ed25519Signer();
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_SIGNATURE",
            await fred.SendAsync(HttpMethod.Post, Upload, new JsonObject
            {
                ["one_time_keys"] = new JsonObject { ["signed_curve25519:K2"] = stranger.Sign(new JsonObject { ["key"] = "x" }, fred.UserId, fred.IdentityKeyId) },
            }));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON",
            await fred.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["one_time_keys"] = new JsonObject { ["signed_curve25519:K3"] = "unsigned string" } }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM",
            await fred.SendAsync(HttpMethod.Post, Upload, new JsonObject
            {
                ["fallback_keys"] = new JsonObject { ["signed_curve25519:F1"] = fred.SignedKey("f1", true), ["signed_curve25519:F2"] = fred.SignedKey("f2", true) },
            }));

        var (_, counts) = await fred.SendAsync(HttpMethod.Post, Upload, new JsonObject());
        Assert.Equal(1, (int)counts!["one_time_key_counts"]!["signed_curve25519"]!);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Signed_keys_before_device_keys_and_malformed_shapes_are_client_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var gina = await E2eeDevice.CreateAsync(server, Name("bgina", provider), "GINADEV");

        string[] badJson =
        [
            """{"device_keys":"not an object"}""",
            """{"one_time_keys":[1,2]}""",
            """{"one_time_keys":{"signed_curve25519:A":5}}""",
            """{"device_keys":{"user_id":5}}""",
            """{"device_keys":{"user_id":"@bgina:localhost","device_id":"GINADEV","algorithms":"x","keys":{}}}""",
        ];
        foreach (var body in badJson)
        {
            var answer = await server.SendAsync(HttpMethod.Post, Upload, body.Replace("@bgina:", "@" + Name("bgina", provider) + ":", StringComparison.Ordinal), gina.AccessToken);
            Assert.True(answer.Response.StatusCode == HttpStatusCode.BadRequest, $"{body} → {answer.Response.StatusCode}");
            Assert.Contains((string?)answer.Body!["errcode"], new[] { "M_BAD_JSON", "M_INVALID_PARAM" });
        }

        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM",
            await gina.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["one_time_keys"] = new JsonObject { ["signed_curve25519:A"] = gina.SignedKey("a") } }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM",
            await gina.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["one_time_keys"] = new JsonObject { ["no-colon"] = "k" } }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM",
            await gina.SendAsync(HttpMethod.Post, Upload, new JsonObject { ["one_time_keys"] = new JsonObject { ["curve25519:\u0000"] = "k" } }));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON",
            await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", """{"device_keys":{"@a:localhost":"x"}}""", gina.AccessToken));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON",
            await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", "{}", gina.AccessToken));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON",
            await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/claim", """{"one_time_keys":{"@a:localhost":{"D":7}}}""", gina.AccessToken));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON",
            await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/claim", """{"one_time_keys":{"@a:localhost":null}}""", gina.AccessToken));
        AssertError(HttpStatusCode.BadRequest, "M_MISSING_PARAM", await gina.SendAsync(HttpMethod.Get, "/_matrix/client/v3/keys/changes"));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await gina.SendAsync(HttpMethod.Get, "/_matrix/client/v3/keys/changes?from=yesterday"));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await gina.SendAsync(HttpMethod.Get, "/_matrix/client/v3/keys/changes?from=s1_2_3&to=s1_2_3_4_5_6_7"));
    }
}
