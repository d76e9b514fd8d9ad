namespace Homeserver.Core.Media;

/// <summary>The port for media metadata (the <c>media</c> table).</summary>
public interface IMediaStore
{
    Task AddAsync(MediaRecord media, CancellationToken cancellationToken);

    /// <summary>
    /// Records media fetched from another server; when a concurrent fetch (in this process or another) recorded it
    /// first, keeps and returns that record instead.
    /// </summary>
    Task<MediaRecord> AddRemoteAsync(MediaRecord media, CancellationToken cancellationToken);

    Task<MediaRecord?> GetAsync(string serverName, string mediaId, CancellationToken cancellationToken);

    /// <summary>Fills in the content of created media; false when it already had content (another upload won the race).</summary>
    Task<bool> CompleteUploadAsync(string serverName, string mediaId, StoredContent content, string contentType, string? uploadName, long uploadedTs,
        CancellationToken cancellationToken);

    /// <summary>How many media the user created after <paramref name="sinceTs"/> and has not uploaded yet.</summary>
    Task<int> CountPendingAsync(string userId, long sinceTs, CancellationToken cancellationToken);
}
