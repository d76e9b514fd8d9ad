using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Microsoft.Extensions.Logging;

namespace Homeserver.Core.Federation;

/// <summary>
/// Completes the state of a room joined with its members left out: the full state before our join is asked of the
/// servers in the room (<c>/state</c> at the join, the one joined through first), every event checked as the state
/// of a join is, and handed to the engine to fill in.
/// </summary>
public sealed partial class PartialStateCompletion(IFederationClient federation, PduVerifier verifier, RoomEventWriter writer, IRoomEventStore store,
    FullStateWaiters waiters, ILogger<PartialStateCompletion> logger)
{
    private const int OutliersPerCommit = 2_000;

    /// <summary>The rooms still to complete, with what is needed to ask for their state.</summary>
    public Task<IReadOnlyList<(string RoomId, string RoomVersion, PartialState State)>> PendingAsync(CancellationToken cancellationToken) =>
        store.LoadPartialStateRoomsAsync(cancellationToken);

    /// <summary>Whether the state is complete now (or was already); false when no server gave a usable answer.</summary>
    public async Task<bool> CompleteAsync(string roomId, CancellationToken cancellationToken)
    {
        var pending = (await PendingAsync(cancellationToken)).FirstOrDefault(p => p.RoomId == roomId);
        if (pending.RoomId is null)
        {
            return true;
        }

        if (!RoomVersions.TryGet(pending.RoomVersion, out var rules))
        {
            LogNotCompleted(roomId, "", $"room version {pending.RoomVersion} is not supported");
            return false;
        }

        var query = $"/_matrix/federation/v1/state/{Uri.EscapeDataString(roomId)}?event_id={Uri.EscapeDataString(pending.State.JoinEventId)}";
        foreach (var origin in pending.State.Servers)
        {
            try
            {
                var answer = await federation.SendAsync(HttpMethod.Get, origin, query, null, cancellationToken);
                if (answer?["pdus"] is not JsonArray state || answer["auth_chain"] is not JsonArray authChain)
                {
                    LogNotCompleted(roomId, origin, "state answered without pdus and auth_chain");
                    continue;
                }

                var checkedEvents = await verifier.VerifyAsync([.. state, .. authChain], rules, cancellationToken);
                var usable = checkedEvents.Select(r => r.Pdu).OfType<Pdu>().Where(p => p.IsOfRoom(roomId)).ToList();
                var statePdus = checkedEvents.Take(state.Count).Select(r => r.Pdu).OfType<Pdu>().Where(p => p.IsOfRoom(roomId)).ToList();
                // Stored a slice per commit, oldest first so that each finds its auth events stored: one commit of
                // every event of a large room would hold them all in the store's change tracker at once.
                foreach (var slice in usable.OrderBy(p => p.Depth).Chunk(OutliersPerCommit))
                {
                    await writer.AcceptAsync(new RemoteEvents(roomId, [], null, AuthChain: slice), cancellationToken);
                }

                await writer.CompleteStateAsync(new RoomStateCompletion(roomId, [], statePdus), cancellationToken);
                waiters.Completed(roomId);
                LogCompleted(roomId, origin, state.Count);
                return true;
            }
            catch (FederationException e)
            {
                LogNotCompleted(roomId, origin, e.Message);
            }
            catch (MatrixException e) when (e.StatusCode == 404)
            {
                // Completed meanwhile.
                waiters.Completed(roomId);
                return true;
            }
            catch (MatrixException e)
            {
                LogNotCompleted(roomId, origin, e.Message);
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The state of {RoomId} is complete: {Count} events from {Origin}")]
    private partial void LogCompleted(string roomId, string origin, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The state of {RoomId} was not completed through {Origin}: {Reason}")]
    private partial void LogNotCompleted(string roomId, string origin, string reason);
}
