using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Keys;
using Homeserver.Core.Server;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.ToDevice;

/// <summary>
/// Send-to-device messaging (client-server API, "Send-to-Device messaging"): <c>/sendToDevice</c>, delivered to
/// local devices' inboxes and to other servers as <c>m.direct_to_device</c> EDUs (server-server API,
/// "Send-to-device messaging"), and those EDUs received.
/// </summary>
public sealed class ToDeviceService(IToDeviceStore store, EduSender edus, ServerIdentity server, SyncNotifier notifier, TimeProvider clock)
{
    /// <summary>The largest content of one message; Olm-encrypted key shares are far smaller.</summary>
    public const int MaxContentBytes = 64 * 1024;

    public const string DirectToDevice = "m.direct_to_device";

    private const string AllDevices = "*";

    /// <summary>The spec's limit on a message ID, in code points.</summary>
    private const int MaxMessageIdLength = 32;

    /// <summary>Remote senders have no device here: their messages are deduplicated by sender and message ID.</summary>
    private const string RemoteSenderDevice = "";

    public async Task SendAsync(Session session, string eventType, string transactionId, IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>> messages, CancellationToken cancellationToken)
    {
        KeyJson.RequireIdentifier(eventType, "The event type");
        KeyJson.RequireIdentifier(transactionId, "The transaction ID");
        if (messages.Values.SelectMany(d => d.Values).Any(content => Encoding.UTF8.GetByteCount(content.ToJsonString()) > MaxContentBytes))
        {
            throw MatrixException.TooLarge($"A to-device message's content is at most {MaxContentBytes} bytes");
        }

        var local = new Dictionary<string, IReadOnlyDictionary<string, JsonObject>>(StringComparer.Ordinal);
        var remote = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (userId, byDevice) in messages)
        {
            if (!UserId.TryParse(userId, out var id) || !KeyJson.IsIdentifier(userId))
            {
                continue;
            }

            if (id.Server.Value == server.ServerName)
            {
                local[userId] = byDevice;
                continue;
            }

            if (!remote.TryGetValue(id.Server.Value, out var forServer))
            {
                remote[id.Server.Value] = forServer = [];
            }

            forServer[userId] = new JsonObject([.. byDevice.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value.DeepClone()))]);
        }

        // Queued before the local messages are stored: a retry after a failure in between queues the EDUs again
        // under the same message IDs, which receivers drop as repeats, while nothing is lost.
        foreach (var (destination, forServer) in remote)
        {
            var content = new JsonObject
            {
                ["sender"] = session.UserId,
                ["type"] = eventType,
                ["message_id"] = MessageId(session, transactionId, destination),
                ["messages"] = forServer,
            };
            await edus.QueueAsync([destination], [(DirectToDevice, content)], cancellationToken);
        }

        await DeliverAsync(session.UserId, session.DeviceId, transactionId, eventType, local, cancellationToken);
    }

    /// <summary>
    /// An <c>m.direct_to_device</c> EDU from <paramref name="origin"/>: its messages for this server's users go into
    /// their devices' inboxes, once per message ID. Malformed EDUs, senders of other servers and oversized messages
    /// are dropped.
    /// </summary>
    public async Task ReceiveAsync(string origin, JsonObject content, CancellationToken cancellationToken)
    {
        if (KeyJson.String(content, "sender") is not { } sender
            || !UserId.TryParse(sender, out var senderId)
            || senderId.Server.Value != origin
            || KeyJson.String(content, "type") is not { } eventType
            || !KeyJson.IsIdentifier(eventType)
            || KeyJson.String(content, "message_id") is not { Length: > 0 } messageId
            || messageId.EnumerateRunes().Count() > MaxMessageIdLength
            || content["messages"] is not JsonObject messages)
        {
            return;
        }

        var local = new Dictionary<string, IReadOnlyDictionary<string, JsonObject>>(StringComparer.Ordinal);
        foreach (var (userId, byDevice) in messages)
        {
            if (UserId.TryParse(userId, out var id) && id.Server.Value == server.ServerName && byDevice is JsonObject devices)
            {
                local[userId] = devices
                    .Where(d => d.Value is JsonObject body && Encoding.UTF8.GetByteCount(body.ToJsonString()) <= MaxContentBytes)
                    .ToDictionary(d => d.Key, d => d.Value!.AsObject(), StringComparer.Ordinal);
            }
        }

        await DeliverAsync(sender, RemoteSenderDevice, messageId, eventType, local, cancellationToken);
    }

    /// <summary>Stores the messages for local users' devices (<c>*</c>: all of them) once per sender's transaction.</summary>
    private async Task DeliverAsync(string sender, string senderDevice, string transactionId, string eventType,
        Dictionary<string, IReadOnlyDictionary<string, JsonObject>> local, CancellationToken cancellationToken)
    {
        var devicesOf = await store.DevicesOfAsync([.. local.Keys], cancellationToken);
        var inbox = new List<ToDeviceMessage>();
        foreach (var (userId, byDevice) in local)
        {
            var known = devicesOf.GetValueOrDefault(userId) ?? [];
            foreach (var (deviceId, content) in byDevice)
            {
                var json = content.ToJsonString();
                var targets = deviceId == AllDevices ? known : known.Contains(deviceId, StringComparer.Ordinal) ? [deviceId] : [];
                inbox.AddRange(targets.Select(target => new ToDeviceMessage(userId, target, sender, eventType, json)));
            }
        }

        // One message per device per transaction (spec): a device named and also reached by "*" gets it once.
        inbox = [.. inbox.DistinctBy(m => (m.UserId, m.DeviceId))];
        if (await store.SendAsync(sender, senderDevice, transactionId, inbox, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken))
        {
            notifier.NotifyUsers(inbox.Select(m => m.UserId).Distinct(StringComparer.Ordinal));
        }
    }

    /// <summary>The same for every attempt of one client transaction, so that the receiving server can drop repeats.</summary>
    private static string MessageId(Session session, string transactionId, string destination) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{session.UserId}\n{session.DeviceId}\n{transactionId}\n{destination}")))[..MaxMessageIdLength];
}
