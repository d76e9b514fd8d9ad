namespace Homeserver.Core.Presence;

/// <summary>The port for presence: the latest state per user, each write a new presence-stream position.</summary>
public interface IPresenceStore
{
    Task<UserPresence?> GetAsync(string userId, CancellationToken cancellationToken);

    Task SetAsync(UserPresence presence, CancellationToken cancellationToken);

    /// <summary>The presence of those users that changed after <paramref name="since"/> up to <paramref name="upTo"/>.</summary>
    Task<IReadOnlyList<UserPresence>> GetChangesAsync(IReadOnlyCollection<string> userIds, long since, long upTo, CancellationToken cancellationToken);
}
