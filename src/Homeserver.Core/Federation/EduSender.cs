using System.Text.Json.Nodes;
using Homeserver.Core.Server;

namespace Homeserver.Core.Federation;

/// <summary>Queues an EDU for every other server with a member in a room (typing, receipts), then wakes the sender.</summary>
public sealed class EduSender(IFederationOutboxStore outbox, IFederationEventStore events, OutboxSignal signal, ServerIdentity server)
{
    public async Task QueueToRoomAsync(string roomId, string eduType, JsonObject content, CancellationToken cancellationToken)
    {
        var destinations = (await events.GetJoinedServersAsync(roomId, cancellationToken)).Where(s => s != server.ServerName).ToList();
        if (destinations.Count == 0)
        {
            return;
        }

        var edu = new JsonObject { ["edu_type"] = eduType, ["content"] = content }.ToJsonString();
        await outbox.AddEdusAsync([.. destinations.Select(d => (d, edu))], cancellationToken);
        signal.Wake(destinations);
    }
}
