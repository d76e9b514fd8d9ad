using System.Diagnostics;
using System.Text.Json.Nodes;

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
    public static async Task JoinAsync(RemoteServer remote, FederationClient federation, string roomId, string roomVersion, int count, string prefix)
    {
        string UserId(int i) => $"@{prefix}_r{i}:{remote.ServerName}";
        var joined = await RemoteJoin.JoinAsync(federation, remote, roomId, UserId(0), roomVersion);
        IReadOnlyList<string> authEvents = [joined.StateId("m.room.create"), joined.StateId("m.room.join_rules"), joined.StateId("m.room.power_levels")];

        var build = Stopwatch.StartNew();
        var (rules, prev, depth) = (joined.Rules, joined.JoinId, joined.Depth);
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
