using System.Text.Json.Nodes;
using Homeserver.Core.Server;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Federation;

/// <summary>
/// Queues EDUs in the durable outbox, for every other server with a member in a room (typing, receipts) or for
/// named servers (to-device messages) or the servers of named users (presence, device lists), then wakes the sender.
/// </summary>
public sealed class EduSender(IFederationOutboxStore outbox, IFederationEventStore events, OutboxSignal signal, ServerIdentity server)
{
    public async Task QueueToRoomAsync(string roomId, string eduType, JsonObject content, CancellationToken cancellationToken) =>
        await QueueAsync(await events.GetJoinedServersAsync(roomId, cancellationToken), [(eduType, content)], cancellationToken);

    /// <summary>Every EDU to the servers of <paramref name="userIds"/> (presence, device lists: for those sharing a room).</summary>
    public Task QueueToServersOfAsync(IEnumerable<string> userIds, IReadOnlyList<(string EduType, JsonObject Content)> edus, CancellationToken cancellationToken) =>
        QueueAsync(
            userIds.Select(u => UserId.TryParse(u, out var id) ? id.Server.Value : null).OfType<string>().ToHashSet(StringComparer.Ordinal),
            edus,
            cancellationToken);

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
