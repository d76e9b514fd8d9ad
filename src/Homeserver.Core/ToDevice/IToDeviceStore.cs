namespace Homeserver.Core.ToDevice;

/// <summary>The port for device inboxes (to-device messages) and the transaction IDs of <c>/sendToDevice</c>.</summary>
public interface IToDeviceStore
{
    /// <summary>The device IDs of each of the given local users (users without devices are left out).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DevicesOfAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>
    /// Records the transaction and stores the messages in one transaction, at new positions of the to-device stream.
    /// False, storing nothing, when the sender's device used the transaction ID before. Messages from other servers
    /// come with an empty device ID and their message ID as the transaction ID.
    /// </summary>
    Task<bool> SendAsync(string senderUserId, string senderDeviceId, string transactionId, IReadOnlyList<ToDeviceMessage> messages, long nowTs, CancellationToken cancellationToken);

    /// <summary>The device's messages after <paramref name="since"/> up to <paramref name="upTo"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredToDeviceMessage>> ReadAsync(string userId, string deviceId, long since, long upTo, int limit, CancellationToken cancellationToken);

    Task DeleteUpToAsync(string userId, string deviceId, long position, CancellationToken cancellationToken);
}
