using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Keys;
using Homeserver.Core.Server;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.ToDevice;

/// <summary>Send-to-device messaging (client-server API, "Send-to-Device messaging"): <c>/sendToDevice</c>.</summary>
public sealed class ToDeviceService(IToDeviceStore store, ServerIdentity server, SyncNotifier notifier, TimeProvider clock)
{
    /// <summary>The largest content of one message; Olm-encrypted key shares are far smaller.</summary>
    public const int MaxContentBytes = 64 * 1024;

    private const string AllDevices = "*";

    public async Task SendAsync(Session session, string eventType, string transactionId, IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>> messages, CancellationToken cancellationToken)
    {
        KeyJson.RequireIdentifier(eventType, "The event type");
        KeyJson.RequireIdentifier(transactionId, "The transaction ID");

        var local = new Dictionary<string, IReadOnlyDictionary<string, JsonObject>>(StringComparer.Ordinal);
        foreach (var (userId, byDevice) in messages)
        {
            foreach (var (_, content) in byDevice)
            {
                if (Encoding.UTF8.GetByteCount(content.ToJsonString()) > MaxContentBytes)
                {
                    throw MatrixException.TooLarge($"A to-device message's content is at most {MaxContentBytes} bytes");
                }
            }

            // Messages for other servers' users go over federation (m.direct_to_device), which is not built yet.
            if (UserId.TryParse(userId, out var id) && id.Server.Value == server.ServerName && KeyJson.IsIdentifier(userId))
            {
                local[userId] = byDevice;
            }
        }

        var devicesOf = await store.DevicesOfAsync([.. local.Keys], cancellationToken);
        var outbox = new List<ToDeviceMessage>();
        foreach (var (userId, byDevice) in local)
        {
            var known = devicesOf.GetValueOrDefault(userId) ?? [];
            foreach (var (deviceId, content) in byDevice)
            {
                var json = content.ToJsonString();
                var targets = deviceId == AllDevices ? known : known.Contains(deviceId, StringComparer.Ordinal) ? [deviceId] : [];
                outbox.AddRange(targets.Select(target => new ToDeviceMessage(userId, target, session.UserId, eventType, json)));
            }
        }

        // One message per device per transaction (spec): a device named and also reached by "*" gets it once.
        outbox = [.. outbox.DistinctBy(m => (m.UserId, m.DeviceId))];
        if (await store.SendAsync(session.UserId, session.DeviceId, transactionId, outbox, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken))
        {
            notifier.NotifyUsers(outbox.Select(m => m.UserId).Distinct(StringComparer.Ordinal));
        }
    }
}
