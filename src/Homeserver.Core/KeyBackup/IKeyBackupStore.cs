namespace Homeserver.Core.KeyBackup;

/// <summary>The port for server-side key backups. Versions are numbered per user and never reused.</summary>
public interface IKeyBackupStore
{
    Task<long> CreateVersionAsync(string userId, string algorithm, string authDataJson, CancellationToken cancellationToken);

    /// <summary>The version (the latest when <paramref name="version"/> is null) unless it is unknown or deleted.</summary>
    Task<BackupVersion?> GetVersionAsync(string userId, long? version, CancellationToken cancellationToken);

    /// <summary>False when the version is unknown or deleted.</summary>
    Task<bool> UpdateVersionAsync(string userId, long version, string authDataJson, CancellationToken cancellationToken);

    /// <summary>Deletes the version and its keys; false when it never existed (deleting a deleted one succeeds).</summary>
    Task<bool> DeleteVersionAsync(string userId, long version, CancellationToken cancellationToken);

    /// <summary>The version's keys, all of them or those of a room or of one session.</summary>
    Task<IReadOnlyList<BackupKey>> GetKeysAsync(string userId, long version, string? roomId, string? sessionId, CancellationToken cancellationToken);

    /// <summary>Stores each key unless the key held for its session should stay (<see cref="BackupKey.Replaces"/>).</summary>
    Task<BackupKeysUpdate> PutKeysAsync(string userId, long version, IReadOnlyList<BackupKey> keys, CancellationToken cancellationToken);

    Task<BackupKeysUpdate> DeleteKeysAsync(string userId, long version, string? roomId, string? sessionId, CancellationToken cancellationToken);
}
