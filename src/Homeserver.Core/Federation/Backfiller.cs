using System.Text.Json.Nodes;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Microsoft.Extensions.Logging;

namespace Homeserver.Core.Federation;

/// <summary>
/// Fetches a room's history from before our oldest timeline event (server-server API, "Backfilling and retrieving
/// missing events", <c>GET /backfill</c>) when a client pages back to it. The room's other servers are asked in
/// turn; what they send is untrusted and goes through the checks on receipt (format, signatures, content hash,
/// auth events) before the engine places it below the timeline.
/// </summary>
public sealed partial class Backfiller(
    IRoomReadStore rooms, IFederationClient federation, PduVerifier verifier, RoomEventWriter writer, BackfillHorizon horizon, ServerIdentity server,
    ILogger<Backfiller> logger)
{
    /// <summary>How many servers one page may ask before giving up.</summary>
    private const int MaxServersAsked = 5;
    private const int MinLimit = 10;

    /// <summary>Fetches up to about <paramref name="wanted"/> older events; true when any were stored.</summary>
    public async Task<bool> FillAsync(RoomSummary room, int wanted, CancellationToken cancellationToken)
    {
        if (!RoomVersions.TryGet(room.RoomVersion, out var rules))
        {
            return false;
        }

        var oldest = await rooms.GetTimelineAsync(room.RoomNid, long.MinValue, long.MaxValue, 1, newestFirst: false, cancellationToken);
        if (oldest.Count == 0 || oldest[0].Type == EventTypes.Create || horizon.IsReached(room.RoomId, oldest[0].EventId))
        {
            return false;
        }

        var prevs = JsonNode.Parse(oldest[0].Json)?["prev_events"] as JsonArray;
        var from = (prevs ?? []).Select(p => p is JsonValue v && v.TryGetValue<string>(out var id) ? id : null).OfType<string>().ToList();
        if (from.Count == 0)
        {
            horizon.Reach(room.RoomId, oldest[0].EventId);
            return false;
        }

        var query = string.Join('&', from.Select(id => "v=" + Uri.EscapeDataString(id)))
                    + "&limit=" + Math.Clamp(wanted, MinLimit, FederationEventReader.MaxBackfill);
        foreach (var destination in await ResidentServersAsync(room, cancellationToken))
        {
            JsonNode? answer;
            try
            {
                answer = await federation.SendAsync(HttpMethod.Get, destination, $"/_matrix/federation/v1/backfill/{Uri.EscapeDataString(room.RoomId)}?{query}", null, cancellationToken);
            }
            catch (FederationException e)
            {
                LogBackfillFailed(room.RoomId, destination, e.Message);
                continue;
            }

            var pdus = (answer?["pdus"] as JsonArray ?? []).Take(FederationEventReader.MaxBackfill).ToList();
            if (pdus.Count == 0)
            {
                continue;
            }

            var verified = await verifier.VerifyAsync(pdus, rules, cancellationToken);
            var good = verified.Select(r => r.Pdu).OfType<Pdu>().Where(p => p.RoomId == room.RoomId).ToList();
            var result = await writer.BackfillAsync(new RemoteEvents(room.RoomId, good, ForwardExcept: null), cancellationToken);
            if (result.EventIds.Count > 0)
            {
                return true;
            }
        }

        // Nobody had anything we could use: do not ask again until the timeline's oldest event changes. While the
        // state is partial the members, and so the servers to ask, are not all known yet: asked again later.
        if (!await rooms.IsPartialStateAsync(room.RoomNid, cancellationToken))
        {
            horizon.Reach(room.RoomId, oldest[0].EventId);
        }

        return false;
    }

    /// <summary>The other servers with joined members, those with the most members first (most likely to hold the history).</summary>
    private async Task<IReadOnlyList<string>> ResidentServersAsync(RoomSummary room, CancellationToken cancellationToken)
    {
        var state = await rooms.GetCurrentStateAsync(room.RoomNid, cancellationToken);
        return [.. state.Where(e => e.Type == EventTypes.Member && RoomAccess.ContentString(e, "membership") == Memberships.Join)
            .Select(e => e.StateKey).OfType<string>()
            .Select(userId => userId[(userId.IndexOf(':', StringComparison.Ordinal) + 1)..])
            .Where(s => s != server.ServerName)
            .GroupBy(s => s, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .Take(MaxServersAsked)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not backfill {RoomId} from {Destination}: {Reason}")]
    private partial void LogBackfillFailed(string roomId, string destination, string reason);
}
