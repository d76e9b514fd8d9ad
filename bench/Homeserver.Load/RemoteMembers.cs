using System.Diagnostics;
using System.Text.Json.Nodes;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Load;

/// <summary>
/// Fills a public room of the server under test with users of the load generator's own server, as quickly as the
/// server accepts PDUs: the first joins over make_join/send_join, the others arrive as join events in transactions
/// of 50, each citing the one before. Registering that many users over the client API would take hours.
/// </summary>
internal static class RemoteMembers
{
    private const int PdusPerTransaction = 50;

    /// <summary>Joins <paramref name="count"/> users; any PDU the server refuses fails the scenario.</summary>
    public static async Task JoinAsync(RemoteServer remote, FederationClient federation, string roomId, int count, string prefix)
    {
        var room = Uri.EscapeDataString(roomId);
        string UserId(int i) => $"@{prefix}_r{i}:{remote.ServerName}";

        var made = await federation.SendAsync(HttpMethod.Get, $"_matrix/federation/v1/make_join/{room}/{Uri.EscapeDataString(UserId(0))}?ver=10&ver=11&ver=12", null, CancellationToken.None);
        var version = (string?)made["room_version"] ?? "1";
        var rules = RoomVersions.TryGet(version, out var known) ? known : throw new InvalidOperationException($"Room version {version} is not known here.");
        var join = (JsonObject)made["event"]!;
        var first = new PduFactory(rules, roomId, UserId(0), remote.ServerName, remote.Key);
        var firstId = first.Complete(join, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var joined = await federation.SendAsync(HttpMethod.Put, $"_matrix/federation/v2/send_join/{room}/{Uri.EscapeDataString(firstId)}", join, CancellationToken.None);
        var state = joined["state"]!.AsArray().Select(e => (JsonObject)e!).ToList();
        string StateId(string type) => first.EventIdOf(state.First(e => (string?)e["type"] == type && (string?)e["state_key"] == ""));
        IReadOnlyList<string> authEvents = [StateId("m.room.create"), StateId("m.room.join_rules"), StateId("m.room.power_levels")];

        var build = Stopwatch.StartNew();
        var (prev, depth) = (firstId, (long)join["depth"]!);
        var baseTs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var joins = new List<(string EventId, JsonObject Json)>(count);
        for (var i = 1; i < count; i++)
        {
            var factory = new PduFactory(rules, roomId, UserId(i), remote.ServerName, remote.Key) { AuthEvents = authEvents };
            var next = factory.Create("m.room.member", UserId(i), new JsonObject { ["membership"] = "join" }, [prev], ++depth, baseTs + i);
            joins.Add(next);
            prev = next.EventId;
        }

        await Console.Error.WriteLineAsync($"remote members: {count - 1} joins built in {build.Elapsed.TotalSeconds:0.0} s");
        var send = Stopwatch.StartNew();
        foreach (var (n, batch) in joins.Chunk(PdusPerTransaction).Index())
        {
            var answer = await federation.SendAsync(HttpMethod.Put, $"_matrix/federation/v1/send/{prefix}-members-{n}", new JsonObject
            {
                ["origin"] = remote.ServerName,
                ["origin_server_ts"] = baseTs,
                ["pdus"] = new JsonArray([.. batch.Select(p => (JsonNode)p.Json)]),
            }, CancellationToken.None);
            if (batch.FirstOrDefault(p => answer["pdus"]?[p.EventId] is not JsonObject { Count: 0 }) is { EventId: not null } refused)
            {
                throw new InvalidOperationException($"The server refused a member's join {refused.EventId}: {answer["pdus"]?[refused.EventId]?.ToJsonString()}");
            }
        }

        await Console.Error.WriteLineAsync($"remote members: {count} joined in {send.Elapsed.TotalSeconds:0.0} s");
    }
}
