using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Tests.Hosting;

namespace Homeserver.Tests.Keys;

/// <summary>A logged-in device with its own Ed25519 identity key, as an E2EE client holds one.</summary>
public sealed class E2eeDevice(TestHomeserver server, string userId, string deviceId, string accessToken) : IDisposable
{
    public TestHomeserver Server { get; } = server;

    public string UserId { get; } = userId;

    public string DeviceId { get; } = deviceId;

    public string AccessToken { get; } = accessToken;

    public Ed25519Signer Identity { get; } = new();

    public string IdentityKeyId => "ed25519:" + DeviceId;

    public static async Task<E2eeDevice> CreateAsync(TestHomeserver server, string localpart, string deviceId)
    {
        var (userId, token) = await server.CreateUserAsync(localpart, KeysTestData.Password, deviceId);
        return new E2eeDevice(server, userId, deviceId, token);
    }

    public async Task<E2eeDevice> LoginAgainAsync(string deviceId)
    {
        var (_, token) = await Server.LoginAsync(UserId, KeysTestData.Password, deviceId);
        return new E2eeDevice(Server, UserId, deviceId, token);
    }

    /// <summary>The device keys object, signed by the device's identity key.</summary>
    public JsonObject DeviceKeys(string? curve25519 = null) => Identity.Sign(
        new JsonObject
        {
            ["user_id"] = UserId,
            ["device_id"] = DeviceId,
            ["algorithms"] = new JsonArray("m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"),
            ["keys"] = new JsonObject
            {
                ["curve25519:" + DeviceId] = curve25519 ?? "curve+" + DeviceId,
                [IdentityKeyId] = Identity.PublicKey,
            },
        },
        UserId,
        IdentityKeyId);

    public JsonObject SignedKey(string key, bool fallback = false)
    {
        var json = new JsonObject { ["key"] = key };
        if (fallback)
        {
            json["fallback"] = true;
        }

        return Identity.Sign(json, UserId, IdentityKeyId);
    }

    public async Task<JsonObject> UploadOkAsync(JsonObject body)
    {
        var (response, answer) = await SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/upload", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return answer!;
    }

    public Task<(HttpResponseMessage Response, JsonObject? Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null) =>
        Server.SendAsync(method, path, body?.ToJsonString(), AccessToken);

    public void Dispose() => Identity.Dispose();
}
