using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Load;

/// <summary>
/// One user of the load generator's own server joins a room of the server under test the way a remote server does:
/// <c>make_join</c>, the template completed and signed, <c>send_join</c>.
/// </summary>
internal sealed record RemoteJoin(string JoinId, long Depth, RoomVersionRules Rules, IReadOnlyList<JsonObject> State)
{
    public static async Task<RemoteJoin> JoinAsync(FederationClient federation, RemoteServer remote, string roomId, string userId, string roomVersion)
    {
        var room = Uri.EscapeDataString(roomId);
        if (!RoomVersions.TryGet(roomVersion, out var rules))
        {
            throw new ArgumentException($"Room version {roomVersion} is not known here.", nameof(roomVersion));
        }

        var made = await federation.SendAsync(HttpMethod.Get, $"_matrix/federation/v1/make_join/{room}/{Uri.EscapeDataString(userId)}?ver={roomVersion}", null, CancellationToken.None);
        var join = (JsonObject)made["event"]!;
        var joinId = new PduFactory(rules, roomId, userId, remote.ServerName, remote.Key).Complete(join, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var joined = await federation.SendAsync(HttpMethod.Put, $"_matrix/federation/v2/send_join/{room}/{Uri.EscapeDataString(joinId)}", join, CancellationToken.None);
        return new RemoteJoin(joinId, (long)join["depth"]!, rules, [.. joined["state"]!.AsArray().Select(e => (JsonObject)e!)]);
    }

    /// <summary>The ID of a state event of the room with an empty state key (the create event, the power levels …).</summary>
    public string StateId(string type) =>
        EventIds.Compute(State.First(e => (string?)e["type"] == type && (string?)e["state_key"] == ""), Rules)
        ?? throw new InvalidOperationException($"The room's {type} has no ID");
}
