using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Rooms;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Rooms;
using Homeserver.Tests.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Backfill (server-server API, "Backfilling and retrieving missing events"): a server that joined a room late
/// fetches the history from before its join when a client pages <c>/messages</c> back to it, checks every event,
/// and serves it in order without showing it to <c>/sync</c> as new.
/// </summary>
public sealed class FederationBackfillTests(TwoServersFixture servers) : IClassFixture<TwoServersFixture>
{
    private const int HistoryLength = 30;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_late_joiner_pages_back_through_the_history_from_before_its_join(bool sqliteBackfills)
    {
        var (host, joiner) = sqliteBackfills ? (servers.A, servers.B) : (servers.B, servers.A);
        var (_, aliceToken) = await host.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await joiner.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(host, aliceToken, """{"preset":"public_chat"}""");
        for (var i = 0; i < HistoryLength; i++)
        {
            await RoomTests.SendTextAsync(host, aliceToken, roomId, $"old {i}");
        }

        await JoinAsync(joiner, bobToken, roomId, host.ServerName);
        var sync = await SyncTests.SyncAsync(joiner, bobToken, null);
        var since = (string)sync["next_batch"]!;

        var bodies = new List<string>();
        string? from = null;
        var pages = 0;
        while (true)
        {
            var page = await RoomTests.MessagesAsync(joiner, bobToken, roomId, "dir=b&limit=10" + (from is null ? "" : "&from=" + Uri.EscapeDataString(from)));
            pages++;
            bodies.AddRange(Bodies(page));
            if (page["end"] is null)
            {
                break;
            }

            Assert.NotEqual(from, (string)page["end"]!);
            from = (string)page["end"]!;
            Assert.True(pages < 20, "pagination does not end");
        }

        // Newest first, every message once, the oldest last: the backfilled history continues the timeline.
        var expected = Enumerable.Range(0, HistoryLength).Reverse().Select(i => $"old {i}").ToList();
        Assert.Equal(expected, bodies);
        Assert.True(pages >= 3, $"{pages} pages for {HistoryLength} messages");

        // Going forwards from the oldest end gives the same history in order, through the negative positions.
        var forwards = await RoomTests.MessagesAsync(joiner, bobToken, roomId, "dir=f&limit=100");
        Assert.Equal(Enumerable.Range(0, HistoryLength).Select(i => $"old {i}"), Bodies(forwards));

        // Backfilled history is not news: an incremental sync after it shows none of it.
        var later = await SyncTests.SyncAsync(joiner, bobToken, since);
        var timeline = later["rooms"]?["join"]?[roomId]?["timeline"]?["events"] as JsonArray ?? [];
        Assert.DoesNotContain(timeline, e => ((string?)e!["content"]?["body"])?.StartsWith("old ", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_backfilled_event_with_a_bad_signature_is_dropped()
    {
        var (a, b) = (servers.A, servers.B);
        var (_, aliceToken) = await a.CreateUserAsync(RoomTests.Name("alice"));
        var (_, bobToken) = await b.CreateUserAsync(RoomTests.Name("bob"));
        var roomId = await RoomTests.CreateRoomAsync(a, aliceToken, """{"preset":"public_chat"}""");
        for (var i = 0; i < 5; i++)
        {
            await RoomTests.SendTextAsync(a, aliceToken, roomId, $"old {i}");
        }

        await JoinAsync(b, bobToken, roomId, a.ServerName);

        // B asks A through a client that spoils the signature on one event of A's answer.
        await using (var scope = b.Services.CreateAsyncScope())
        {
            var tampering = new TamperingClient(scope.ServiceProvider.GetRequiredService<IFederationClient>(), "old 2");
            var backfiller = ActivatorUtilities.CreateInstance<Backfiller>(scope.ServiceProvider, tampering);
            var room = (await scope.ServiceProvider.GetRequiredService<IRoomReadStore>().GetRoomAsync(roomId, CancellationToken.None))!;
            Assert.True(await backfiller.FillAsync(room, 50, CancellationToken.None));
            Assert.True(tampering.Tampered);
        }

        var page = await RoomTests.MessagesAsync(b, bobToken, roomId, "dir=b&limit=100");
        Assert.Equal(["old 4", "old 3", "old 1", "old 0"], Bodies(page));
    }

    private static async Task JoinAsync(TestHomeserver server, string token, string roomId, string via)
    {
        var join = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/join/{Uri.EscapeDataString(roomId)}?server_name={via}", "{}", token);
        Assert.True(join.Response.IsSuccessStatusCode, join.Body?.ToJsonString());
    }

    internal static List<string> Bodies(JsonObject page) =>
        [.. page["chunk"]!.AsArray().Where(e => (string?)e!["type"] == "m.room.message").Select(e => (string)e!["content"]!["body"]!)];

    /// <summary>Passes requests on, but replaces the signatures of the message with the given body in any answer with wrong ones.</summary>
    private sealed class TamperingClient(IFederationClient inner, string spoiledBody) : IFederationClient
    {
        public bool Tampered { get; private set; }

        public async Task<JsonNode?> SendAsync(HttpMethod method, string destination, string pathAndQuery, JsonNode? body, CancellationToken cancellationToken)
        {
            var answer = await inner.SendAsync(method, destination, pathAndQuery, body, cancellationToken);
            foreach (var pdu in (answer?["pdus"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if ((string?)pdu["content"]?["body"] == spoiledBody && pdu["signatures"] is JsonObject signatures)
                {
                    foreach (var (_, keys) in signatures.ToList())
                    {
                        foreach (var (keyId, _) in keys!.AsObject().ToList())
                        {
                            // A well-formed Ed25519 signature (64 bytes) that signs nothing.
                            keys[keyId] = Convert.ToBase64String(new byte[64]).TrimEnd('=');
                        }
                    }

                    Tampered = true;
                }
            }

            return answer;
        }
    }
}
