using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

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

    private static async Task<string> SendAsync(TestHomeserver server, string token, string roomId, string transactionId, string body)
    {
        var (response, json) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/send/m.room.message/{transactionId}",
            $$"""{"msgtype":"m.text","body":"{{body}}"}""", token);
        Assert.True(response.IsSuccessStatusCode, json?.ToJsonString());
        return (string)json!["event_id"]!;
    }
}
