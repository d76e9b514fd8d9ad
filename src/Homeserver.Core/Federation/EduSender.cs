using System.Text.Json.Nodes;
using Homeserver.Core.Server;

namespace Homeserver.Core.Federation;

/// <summary>
/// Queues EDUs in the durable outbox, for every other server with a member in a room (typing, receipts) or for
/// named servers (device lists, to-device messages), then wakes the sender.
/// </summary>
public sealed class EduSender(IFederationOutboxStore outbox, IFederationEventStore events, OutboxSignal signal, ServerIdentity server)
{
    public async Task QueueToRoomAsync(string roomId, string eduType, JsonObject content, CancellationToken cancellationToken) =>
        await QueueAsync(await events.GetJoinedServersAsync(roomId, cancellationToken), [(eduType, content)], cancellationToken);

    /// <summary>Every EDU to every destination; our own server is skipped.</summary>
    public async Task QueueAsync(IReadOnlyCollection<string> destinations, IReadOnlyList<(string EduType, JsonObject Content)> edus, CancellationToken cancellationToken)
    {
        var others = destinations.Where(d => d != server.ServerName).ToList();
        if (others.Count == 0 || edus.Count == 0)
        {
            return;
        }

        var serialized = edus.Select(e => new JsonObject { ["edu_type"] = e.EduType, ["content"] = e.Content.DeepClone() }.ToJsonString()).ToList();
        await outbox.AddEdusAsync([.. others.SelectMany(d => serialized.Select(edu => (d, edu)))], cancellationToken);
        signal.Wake(others);
    }
}
