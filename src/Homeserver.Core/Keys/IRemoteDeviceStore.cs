namespace Homeserver.Core.Keys;

/// <summary>
/// The port for the copies of other servers' users' device lists (<see cref="RemoteDeviceLists"/>). The store keeps
/// a copy only while the user shares a room with a local user: it deletes it, in the same transaction, when a
/// membership change ends that, because updates stop coming then.
/// </summary>
public interface IRemoteDeviceStore
{
    /// <summary>The copies of those of <paramref name="userIds"/> that are kept and not stale.</summary>
    Task<IReadOnlyList<RemoteDeviceList>> GetCurrentAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>Replaces the copy with a list fetched from the user's server, unless the copy is already newer.</summary>
    Task ReplaceAsync(RemoteDeviceList list, CancellationToken cancellationToken);

    /// <summary>Applies an update to the copy, if one is kept and the update follows on from it.</summary>
    Task<RemoteDeviceUpdateOutcome> ApplyAsync(RemoteDeviceUpdate update, CancellationToken cancellationToken);

    /// <summary>Sets the cross-signing keys given (null leaves a key as it is) in the copy, if one is kept.</summary>
    Task UpdateCrossSigningAsync(string userId, string? masterKeyJson, string? selfSigningKeyJson, CancellationToken cancellationToken);

    /// <summary>Marks the copy stale, so that it is fetched again before it is used.</summary>
    Task MarkStaleAsync(string userId, CancellationToken cancellationToken);

    Task ForgetAsync(string userId, CancellationToken cancellationToken);
}
