using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Homeserver.Tests.Cli;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;
using Microsoft.Extensions.DependencyInjection;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Rotating the signing key (server-server API, "Publishing Keys"): after <c>rotate-signing-key</c> and a restart the
/// server signs with the new key and publishes the old one under <c>old_verify_keys</c>, so that a server joining
/// later can still check the room history signed with it.
/// </summary>
public sealed class KeyRotationTests
{
    [Fact]
    public async Task After_a_rotation_the_old_key_is_published_and_history_signed_with_it_still_verifies()
    {
        await using var a = await TestHomeserver.StartFederatingAsync(DatabaseProvider.Postgres);
        await using var b = await TestHomeserver.StartFederatingAsync(DatabaseProvider.Sqlite);
        var (_, aliceToken) = await a.CreateUserAsync("alice");
        var (_, bobToken) = await b.CreateUserAsync("bob");
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat","name":"before the rotation"}""");
        await RoomTests.SendTextAsync(a, aliceToken, roomId, "signed with the old key");
        var oldKey = a.Services.GetRequiredService<SigningKey>();
        var oldPublicKey = oldKey.PublicKeyBase64;
        var beforeRotation = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await a.StopAsync();
        var (code, output, error) = await CliTests.RunAsync([.. a.Arguments, "rotate-signing-key"]);
        Assert.True(code == 0, error);
        Assert.Contains(oldKey.KeyId, output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(a.DataDirectory, $"signing.key.{oldKey.Version}.old")));
        await a.RestartAsync();

        var newKey = a.Services.GetRequiredService<SigningKey>();
        Assert.NotEqual(oldKey.KeyId, newKey.KeyId);
        var document = (await a.Federation.GetFromJsonAsync<JsonObject>("/_matrix/key/v2/server"))!;
        Assert.Equal(newKey.PublicKeyBase64, (string?)document["verify_keys"]![newKey.KeyId]!["key"]);
        Assert.Null(document["verify_keys"]![oldKey.KeyId]);
        var old = document["old_verify_keys"]![oldKey.KeyId]!;
        Assert.Equal(oldPublicKey, (string?)old["key"]);
        Assert.InRange((long)old["expired_ts"]!, beforeRotation, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.True(JsonSigning.Verify(document, a.ServerName, newKey.KeyId, newKey.PublicKey));

        // B learns A's keys only now: the room's state and history, signed with the old key, must still check out.
        await FederationTests.JoinAsync(b, bobToken, roomId, a);
        var name = await b.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.name/", accessToken: bobToken);
        Assert.Equal("before the rotation", (string?)name.Body?["name"]);
        await RoomTests.SendTextAsync(a, aliceToken, roomId, "signed with the new key");
        await FederationTests.EventuallyAsync(
            async () => FederationBackfillTests.Bodies(await RoomTests.MessagesAsync(b, bobToken, roomId, "dir=b&limit=20")).Contains("signed with the new key"),
            "a message signed with A's new key reaching B");
        await FederationTests.EventuallyAsync(
            async () => FederationBackfillTests.Bodies(await RoomTests.MessagesAsync(b, bobToken, roomId, "dir=b&limit=20")).Contains("signed with the old key"),
            "the history signed with A's old key, backfilled by B");

        // The old key stays published, with the time it stopped being used, across further restarts.
        await a.StopAsync();
        await a.RestartAsync();
        var again = (await a.Federation.GetFromJsonAsync<JsonObject>("/_matrix/key/v2/server"))!;
        Assert.Equal((long)old["expired_ts"]!, (long)again["old_verify_keys"]![oldKey.KeyId]!["expired_ts"]!);
    }

    [Fact]
    public async Task Rotating_without_a_key_file_fails_and_writes_nothing()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("homeserver-rotate-").FullName;
        var (code, _, error) = await CliTests.RunAsync(
            [$"--Homeserver:DataDirectory={dataDirectory}", "--Homeserver:Database:Provider=Sqlite", "rotate-signing-key"]);

        Assert.Equal(1, code);
        Assert.Contains("no key to rotate", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dataDirectory, "signing.key*"));
    }
}
