using System.Text.Json.Nodes;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Three of our servers in one room, split in two: each side changes the room's state without the other seeing it,
/// then the split heals and every server resolves the two branches to the same state (state resolution v2).
/// </summary>
public sealed class FederationPartitionTests(ThreeServersFixture servers) : IClassFixture<ThreeServersFixture>
{
    [Fact]
    public async Task After_a_partition_with_conflicting_state_on_both_sides_heals_all_servers_hold_the_same_state_and_every_message()
    {
        var (a, b, c) = (servers.A, servers.B, servers.C);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (bob, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var (carol, carolToken) = await c.CreateUserAsync(RoomTests.Name("carol"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat","topic":"before"}""");
        await FederationTests.JoinAsync(b, bobToken, roomId, a);
        await FederationTests.JoinAsync(c, carolToken, roomId, a);
        // Carol may change the room as Alice may, so that each side of the split can.
        var levels = await LevelsAsync(a, aliceToken, roomId);
        levels["users"]![carol] = 100;
        await PutStateAsync(a, aliceToken, roomId, "m.room.power_levels", levels);
        await FederationTests.EventuallyAsync(async () => (int?)(await LevelsAsync(c, carolToken, roomId))["users"]?[carol] == 100, "carol's power reaches c");
        await FederationTests.EventuallyAsync(async () => (int?)(await LevelsAsync(b, bobToken, roomId))["users"]?[carol] == 100, "carol's power reaches b");

        // The split: first C is away while A and B go on, then A and B are away while C goes on; each side's
        // changes wait in the other's outbox, so neither builds on what the other did.
        await c.StopAsync();
        try
        {
            await PutStateAsync(a, aliceToken, roomId, "m.room.topic", new JsonObject { ["topic"] = "set on a" });
            var aSide = await LevelsAsync(a, aliceToken, roomId);
            aSide["users"]![bob] = 50;
            await PutStateAsync(a, aliceToken, roomId, "m.room.power_levels", aSide);
            await RoomTests.SendTextAsync(a, aliceToken, roomId, "from a during the split");
            await RoomTests.SendTextAsync(b, bobToken, roomId, "from b during the split");
            await FederationTests.EventuallyAsync(async () => await HasMessageAsync(b, bobToken, roomId, "from a during the split"), "a's side reaches b");
            await FederationTests.EventuallyAsync(async () => await HasMessageAsync(a, aliceToken, roomId, "from b during the split"), "b's side reaches a");
        }
        finally
        {
            await b.StopAsync();
            await a.StopAsync();
            await c.RestartAsync();
        }

        try
        {
            await PutStateAsync(c, carolToken, roomId, "m.room.topic", new JsonObject { ["topic"] = "set on c" });
            await PutStateAsync(c, carolToken, roomId, "m.room.name", new JsonObject { ["name"] = "named on c" });
            var cSide = await LevelsAsync(c, carolToken, roomId);
            cSide["users"]![bob] = 25;
            await PutStateAsync(c, carolToken, roomId, "m.room.power_levels", cSide);
            await RoomTests.SendTextAsync(c, carolToken, roomId, "from c during the split");
        }
        finally
        {
            await a.RestartAsync();
            await b.RestartAsync();
        }

        var everyone = new[] { (a, aliceToken), (b, bobToken), (c, carolToken) };
        foreach (var (server, token) in everyone)
        {
            foreach (var body in new[] { "from a during the split", "from b during the split", "from c during the split" })
            {
                await FederationTests.EventuallyAsync(() => HasMessageAsync(server, token, roomId, body), $"'{body}' reaches {server.ServerName}");
            }
        }

        await FederationTests.EventuallyAsync(async () =>
        {
            var states = new List<string>();
            foreach (var (server, token) in everyone)
            {
                states.Add(Fingerprint(await FederationTests.StateAsync(server, token, roomId)));
            }

            return states.Distinct(StringComparer.Ordinal).Count() == 1;
        }, "the three servers resolve the room to the same state");
        var resolved = await FederationTests.StateAsync(a, aliceToken, roomId);
        // Both sides' changes are in it: C's name had no rival, and one of the two topics stands.
        Assert.Contains(resolved, e => (string?)e!["type"] == "m.room.name" && (string?)e["content"]?["name"] == "named on c");
        Assert.Contains(resolved, e => (string?)e!["type"] == "m.room.topic" && (string?)e["content"]?["topic"] is "set on a" or "set on c");
    }

    /// <summary>The state as a comparable string: each (type, state key) and the event that holds it.</summary>
    private static string Fingerprint(JsonArray state) =>
        string.Join("\n", state.Select(e => $"{(string?)e!["type"]}|{(string?)e["state_key"]}|{(string?)e["event_id"]}").Order(StringComparer.Ordinal));

    private static async Task<JsonObject> LevelsAsync(TestHomeserver server, string token, string roomId)
    {
        var (_, body) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.power_levels", accessToken: token);
        return body!;
    }

    private static async Task PutStateAsync(TestHomeserver server, string token, string roomId, string type, JsonObject content)
    {
        var (response, body) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/rooms/{roomId}/state/{type}", content.ToJsonString(), token);
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
    }

    private static async Task<bool> HasMessageAsync(TestHomeserver server, string token, string roomId, string body)
    {
        var messages = await RoomTests.MessagesAsync(server, token, roomId, "dir=b&limit=50");
        return messages["chunk"]!.AsArray().Any(e => (string?)e!["content"]?["body"] == body);
    }
}
