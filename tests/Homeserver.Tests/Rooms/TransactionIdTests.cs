using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Sync;

namespace Homeserver.Tests.Rooms;

/// <summary>
/// Transaction IDs (client-server API, "Transaction identifiers") stay idempotent across a restart: the room engine
/// keeps them in memory and reads a device's earlier ones from the database on its first send after a start.
/// </summary>
public sealed class TransactionIdTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task A_transaction_repeated_after_a_restart_gets_the_first_event(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        var (user, phone) = await server.CreateUserAsync("tina", "pw", "PHONE");
        var (_, laptop) = await server.LoginAsync(user, "pw", "LAPTOP");
        var roomId = await RoomTests.CreateRoomAsync(server, phone, "{}");
        var first = await SendAsync(server, phone, roomId, "t1", "first");
        var second = await SendAsync(server, phone, roomId, "t2", "second");
        var redaction = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/redact/{Uri.EscapeDataString(second)}/r1", "{}", phone);

        await server.StopAsync();
        await server.RestartAsync();

        Assert.Equal(first, await SendAsync(server, phone, roomId, "t1", "first"));
        Assert.Equal(second, await SendAsync(server, phone, roomId, "t2", "second"));
        var again = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/redact/{Uri.EscapeDataString(second)}/r1", "{}", phone);
        Assert.Equal((string?)redaction.Body!["event_id"], (string?)again.Body!["event_id"]);

        // The same ID from another device, or a new ID, is a new event.
        var fromLaptop = await SendAsync(server, laptop, roomId, "t1", "from the laptop");
        var third = await SendAsync(server, phone, roomId, "t3", "third");
        Assert.Equal(4, new HashSet<string>([first, second, fromLaptop, third]).Count);
        var messages = await RoomTests.MessagesAsync(server, phone, roomId, "dir=b&limit=20");
        Assert.Equal(4, messages["chunk"]!.AsArray().Count(e => (string?)e!["type"] == "m.room.message"));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task The_sending_device_alone_sees_the_transaction_id_of_its_events(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        var (user, phone) = await server.CreateUserAsync("tess", "pw", "PHONE");
        var (_, laptop) = await server.LoginAsync(user, "pw", "LAPTOP");
        var (_, other) = await server.CreateUserAsync("otto");
        var roomId = await RoomTests.CreateRoomAsync(server, phone, """{"preset":"public_chat"}""");
        Assert.True((await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{roomId}", "{}", other)).Response.IsSuccessStatusCode);
        var since = new Dictionary<string, string>();
        foreach (var token in new[] { phone, laptop, other })
        {
            since[token] = (string)(await SyncTests.SyncAsync(server, token, null))["next_batch"]!;
        }

        var eventId = await SendAsync(server, phone, roomId, "phone-txn-1", "hello");

        string? TransactionIdIn(JsonObject? e) => (string?)e?["unsigned"]?["transaction_id"];
        JsonObject? Find(JsonNode? events) => events?.AsArray().Select(e => e!.AsObject()).SingleOrDefault(e => (string?)e["event_id"] == eventId);
        async Task<string?> InSyncAsync(string token, string? from) =>
            TransactionIdIn(Find((await SyncTests.SyncAsync(server, token, from))["rooms"]!["join"]![roomId]!["timeline"]!["events"]));
        async Task<string?> InMessagesAsync(string token) => TransactionIdIn(Find((await RoomTests.MessagesAsync(server, token, roomId, "dir=b"))["chunk"]));

        // Incremental syncs (the writer's recent timeline), an initial sync, /messages, /event and /context (the database).
        Assert.Equal("phone-txn-1", await InSyncAsync(phone, since[phone]));
        Assert.Equal("phone-txn-1", await InSyncAsync(phone, null));
        Assert.Equal("phone-txn-1", await InMessagesAsync(phone));
        var (_, single) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/event/{Uri.EscapeDataString(eventId)}", null, phone);
        Assert.Equal("phone-txn-1", TransactionIdIn(single));
        var (_, context) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/context/{Uri.EscapeDataString(eventId)}", null, phone);
        Assert.Equal("phone-txn-1", TransactionIdIn(context!["event"]!.AsObject()));
        foreach (var token in new[] { laptop, other })
        {
            Assert.Null(await InSyncAsync(token, since[token]));
            Assert.Null(await InMessagesAsync(token));
        }
    }

    private static async Task<string> SendAsync(TestHomeserver server, string token, string roomId, string transactionId, string body)
    {
        var (response, json) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/send/m.room.message/{transactionId}",
            $$"""{"msgtype":"m.text","body":"{{body}}"}""", token);
        Assert.True(response.IsSuccessStatusCode, json?.ToJsonString());
        return (string)json!["event_id"]!;
    }
}
